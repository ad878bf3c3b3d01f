// libFuzzer target for parse_json's JSON-to-fields conversion. Input: [depth byte][text].
// Checks, beyond "no crash" and bounded work: what parses re-renders as JSON that parses again
// to the same value (the fields keep what the line said, types included), and nesting beyond
// the depth limit is refused rather than followed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "processors/parse_json/json_field_value.hpp"

namespace {

std::uint32_t depth_of(const lc::FieldValue& value) {
  std::uint32_t deepest = 0;
  if (value.type() == lc::FieldValue::Type::kMap) {
    for (const lc::FieldEntry& entry : value.as_map()) {
      deepest = std::max(deepest, depth_of(entry.value));
    }
    return deepest + 1;
  }
  if (value.type() == lc::FieldValue::Type::kList) {
    for (const lc::FieldValue& item : value.as_list()) deepest = std::max(deepest, depth_of(item));
    return deepest + 1;
  }
  return 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint32_t max_depth = 1 + data[0] % 70;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  lc::FieldValue value;
  if (lc::parse_json_field_value(text, max_depth, value)) return 0;
  if (depth_of(value) > max_depth) std::abort();  // followed deeper than allowed
  std::string rendered;
  if (!value.append_json(rendered)) return 0;  // invalid UTF-8 repaired: not comparable
  lc::FieldValue again;
  if (lc::parse_json_field_value(rendered, max_depth, again)) std::abort();  // renders non-JSON
  if (!(again == value)) std::abort();  // a value changed on its way through
  return 0;
}
