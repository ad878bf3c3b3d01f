#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lc::multiline {

// A line's place in a joining state machine (the shape of Fluent Bit's multiline parsers and
// of Google's exception detector, whose rules the presets follow).
inline constexpr int kStartState = 0;  // no group open: its rules open one
inline constexpr int kClosed = -1;     // the group takes no more lines after this one

// In state `from`, a line in which `pattern` (RE2) is found joins the group, or opens one from
// kStartState, and moves it to `to`.
struct RuleText {
  int from;
  std::string pattern;
  int to;
};

// The rules of a named preset (java, python, go, ruby, dotnet); empty for an unknown name.
// States are numbered from 1 within a preset; kStartState's rules open its groups.
const std::vector<RuleText>& preset_rules(std::string_view name);
// "java, python, go, ruby, dotnet": for messages.
std::string preset_names();

}  // namespace lc::multiline
