#include "sinks/otlp/otlp_any_value.hpp"

#include "sinks/common/utf8_repair.hpp"

namespace lc {

void set_otlp_string(std::string_view text, bool known_valid, std::string* out,
                     std::string& scratch) {
  const std::string_view valid = known_valid ? text : as_valid_utf8(text, scratch);
  out->assign(valid.data(), valid.size());
}

void set_otlp_any_value(const FieldValue& value, otlp::AnyValue& out, std::string& scratch) {
  switch (value.type()) {
    case FieldValue::Type::kNull:
      out.Clear();
      break;
    case FieldValue::Type::kBool:
      out.set_bool_value(value.as_bool());
      break;
    case FieldValue::Type::kInt:
      out.set_int_value(value.as_int());
      break;
    case FieldValue::Type::kFloat:
      out.set_double_value(value.as_float());
      break;
    case FieldValue::Type::kString:
      set_otlp_string(value.as_string(), false, out.mutable_string_value(), scratch);
      break;
    case FieldValue::Type::kMap: {
      otlp::KeyValueList& list = *out.mutable_kvlist_value();
      for (const FieldEntry& entry : value.as_map()) {
        otlp::KeyValue& pair = *list.add_values();
        set_otlp_string(entry.key, false, pair.mutable_key(), scratch);
        set_otlp_any_value(entry.value, *pair.mutable_value(), scratch);
      }
      break;
    }
    case FieldValue::Type::kList: {
      otlp::ArrayValue& array = *out.mutable_array_value();
      for (const FieldValue& item : value.as_list()) {
        set_otlp_any_value(item, *array.add_values(), scratch);
      }
      break;
    }
  }
}

}  // namespace lc
