// libFuzzer target for parse_regex: the first line of the input is a pattern, the rest the text.
// Checks, beyond "no crash": a pattern compiles or says why; every string field parsed is a
// piece of the text; each preset, typed, reads the text or says why (never a crash, whatever
// the bytes), and the presets read by hand (common, combined) agree with RE2 exactly.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "processors/parse_regex/regex_fields.hpp"
#include "processors/parse_regex/regex_presets.hpp"

namespace {

void check_pieces_of(std::string_view text, const lc::FieldValue& fields) {
  for (const lc::FieldEntry& entry : fields.as_map()) {
    if (text.find(entry.value.as_string()) == std::string_view::npos) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view pattern = input.substr(0, newline);
  const std::string_view text =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  std::string problem;
  if (auto regex = lc::UserRegex::compile(pattern, problem)) {
    const lc::RegexFields fields(*regex, {});
    lc::FieldValue out;
    if (!fields.parse(text, out)) check_pieces_of(text, out);
  } else if (problem.empty()) {
    std::abort();
  }
  for (const lc::RegexPreset& preset : lc::regex_presets()) {
    const std::vector<std::pair<std::string, lc::CaptureType>> types = {
        {"status", lc::CaptureType::kInt},
        {"pid", lc::CaptureType::kInt},
        {"time", lc::CaptureType::kFloat}};
    const lc::RegexFields fields(lc::UserRegex::compile_checked(preset.pattern), types);
    lc::FieldValue out;
    const auto problem = fields.parse(input, out);
    // The common and combined presets are read by hand: RE2 on the same pattern (made
    // unrecognisable by an empty group) must agree, capture for capture.
    const lc::RegexFields by_re2(lc::UserRegex::compile_checked(preset.pattern + "(?:)"), types);
    lc::FieldValue out_re2;
    if (by_re2.parse(input, out_re2) != problem) std::abort();
    if (!problem && !(out == out_re2)) std::abort();
  }
  return 0;
}
