#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "processors/parse_regex/capture_type.hpp"

namespace lc {

// A ready-made pattern for a common line format, with the types of its captures
// (parse_regex `preset:`, and the io.log-capturer.parser container label).
struct RegexPreset {
  std::string_view name;
  std::string_view about;
  std::string pattern;
  std::string_view types;  // "capture=type ..."
};

std::span<const RegexPreset> regex_presets();
const RegexPreset* find_regex_preset(std::string_view name);
// The preset's capture types (its "capture=type ..." list).
std::vector<std::pair<std::string, CaptureType>> preset_capture_types(const RegexPreset& preset);

}  // namespace lc
