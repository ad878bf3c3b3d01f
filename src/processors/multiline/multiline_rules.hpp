#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/user_regex.hpp"
#include "processors/multiline/multiline_presets.hpp"

namespace lc::multiline {

// What decides which lines belong together: presets and/or a user's start and continue
// patterns.
struct RuleChoice {
  std::vector<std::string> presets;  // java, python, go, ruby, dotnet
  // A line in which `start` is found opens a record; with `continue` unset, every other line
  // continues it (a Promtail firstline).
  std::string start;
  // A line in which it is found continues the open record; with `start` unset, every other
  // line opens one.
  std::string continue_pattern;
  bool operator==(const RuleChoice&) const = default;
  bool empty() const { return presets.empty() && start.empty() && continue_pattern.empty(); }
};

// The compiled state machine: states of every preset and of the user's patterns side by side,
// kStartState's rules (in the order written) opening groups. Immutable once built: shared by
// the joiners of every stream that uses it, from one thread or several.
class MultilineRules {
 public:
  // Throws std::invalid_argument: an unknown preset, a pattern RE2 refuses, nothing chosen.
  static std::shared_ptr<const MultilineRules> compile(const RuleChoice& choice);

  // The state a group opened by this line is in; kClosed when no rule opens one (the line is
  // a record of its own).
  int opens(std::string_view line) const {
    return first_match(kStartState, line).value_or(kClosed);
  }
  // The state after this line joins a group in `state`; nullopt when it does not join.
  std::optional<int> continues(int state, std::string_view line) const;

 private:
  struct Rule {
    std::optional<UserRegex> pattern;  // none: every line
    bool negate = false;               // the line joins when the pattern is NOT found
    int to = kClosed;
  };

  int add_state() {
    states_.emplace_back();
    return static_cast<int>(states_.size()) - 1;
  }
  void add_rule(int from, std::optional<UserRegex> pattern, bool negate, int to);
  void add_preset(std::string_view name);
  void add_user_patterns(const RuleChoice& choice);
  // The state the first rule of `state` that takes the line leads to.
  std::optional<int> first_match(int state, std::string_view line) const;

  std::vector<std::vector<Rule>> states_{1};  // states_[kStartState] opens groups
};

}  // namespace lc::multiline
