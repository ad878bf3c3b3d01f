#include "processors/parse_json/json_field_value.hpp"

#include <fmt/format.h>
#include <simdjson.h>

namespace lc {

namespace {

// simdjson's DOM, walked once: its parser finds the structure at SIMD speed, and the values
// are copied out here.
std::optional<std::string> convert(simdjson::dom::element element, std::uint32_t depth_left,
                                   FieldValue& out) {
  using Type = simdjson::dom::element_type;
  switch (element.type()) {
    case Type::OBJECT: {
      if (depth_left == 0) return "nested too deep";
      FieldValue::Map map;
      const simdjson::dom::object object = element.get_object().value_unsafe();
      map.reserve(object.size());
      for (const auto field : object) {
        FieldValue value;
        if (auto problem = convert(field.value, depth_left - 1, value)) return problem;
        bool replaced = false;  // a repeated key: the last one counts, where the first stood
        for (FieldEntry& entry : map) {
          if (entry.key == field.key) {
            entry.value = std::move(value);
            replaced = true;
            break;
          }
        }
        if (!replaced) map.push_back(FieldEntry{std::string(field.key), std::move(value)});
      }
      out = FieldValue(std::move(map));
      return std::nullopt;
    }
    case Type::ARRAY: {
      if (depth_left == 0) return "nested too deep";
      FieldValue::List list;
      const simdjson::dom::array array = element.get_array().value_unsafe();  // not a temporary's
      for (const simdjson::dom::element item : array) {
        FieldValue value;
        if (auto problem = convert(item, depth_left - 1, value)) return problem;
        list.push_back(std::move(value));
      }
      out = FieldValue(std::move(list));
      return std::nullopt;
    }
    case Type::STRING:
      out = FieldValue(element.get_string().value_unsafe());
      return std::nullopt;
    case Type::INT64:
      out = FieldValue(element.get_int64().value_unsafe());
      return std::nullopt;
    case Type::UINT64:  // beyond int64
      out = FieldValue(static_cast<double>(element.get_uint64().value_unsafe()));
      return std::nullopt;
    case Type::DOUBLE:
      out = FieldValue(element.get_double().value_unsafe());
      return std::nullopt;
    case Type::BOOL:
      out = FieldValue(element.get_bool().value_unsafe());
      return std::nullopt;
    case Type::NULL_VALUE:
      out = FieldValue(nullptr);
      return std::nullopt;
  }
  return "unknown JSON type";
}

}  // namespace

std::optional<std::string> parse_json_field_value(std::string_view text, std::uint32_t max_depth,
                                                  FieldValue& out) {
  // One parser per thread: processors run on the inputs' threads, and its buffers are reused.
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (const auto error = parser.parse(text.data(), text.size()).get(root)) {
    return fmt::format("not JSON: {}", simdjson::error_message(error));
  }
  return convert(root, max_depth, out);
}

}  // namespace lc
