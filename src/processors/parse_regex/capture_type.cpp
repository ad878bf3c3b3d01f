#include "processors/parse_regex/capture_type.hpp"

#include <strings.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace lc {
namespace {

constexpr std::array<std::string_view, 4> kNames{"string", "int", "float", "bool"};

bool equals_ignoring_case(std::string_view text, std::string_view word) {
  return text.size() == word.size() && ::strncasecmp(text.data(), word.data(), text.size()) == 0;
}

}  // namespace

std::optional<CaptureType> capture_type_named(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<CaptureType>(i);
  }
  return std::nullopt;
}

std::string_view capture_type_name(CaptureType type) {
  return kNames[static_cast<std::size_t>(type)];
}

std::optional<FieldValue> convert_capture(std::string_view text, CaptureType type) {
  const char* end = text.data() + text.size();
  switch (type) {
    case CaptureType::kString:
      return FieldValue(text);
    case CaptureType::kInt: {
      std::int64_t value = 0;
      auto [stop, error] = std::from_chars(text.data(), end, value);
      if (error != std::errc() || stop != end || text.empty()) return std::nullopt;
      return FieldValue(value);
    }
    case CaptureType::kFloat: {
      double value = 0;
      auto [stop, error] = std::from_chars(text.data(), end, value);
      if (error != std::errc() || stop != end || text.empty() || !std::isfinite(value)) {
        return std::nullopt;
      }
      return FieldValue(value);
    }
    case CaptureType::kBool:
      for (std::string_view yes : {"true", "1", "yes"}) {
        if (equals_ignoring_case(text, yes)) return FieldValue(true);
      }
      for (std::string_view no : {"false", "0", "no"}) {
        if (equals_ignoring_case(text, no)) return FieldValue(false);
      }
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace lc
