#include "processors/multiline/multiline_rules.hpp"

#include <algorithm>
#include <stdexcept>

namespace lc::multiline {

std::shared_ptr<const MultilineRules> MultilineRules::compile(const RuleChoice& choice) {
  if (choice.empty()) {
    throw std::invalid_argument("multiline needs presets, a start pattern or a continue pattern");
  }
  auto rules = std::make_shared<MultilineRules>(MultilineRules());
  for (const std::string& preset : choice.presets) rules->add_preset(preset);
  if (!choice.start.empty() || !choice.continue_pattern.empty()) rules->add_user_patterns(choice);
  return rules;
}

void MultilineRules::add_rule(int from, std::optional<UserRegex> pattern, bool negate, int to) {
  states_[static_cast<std::size_t>(from)].push_back(Rule{std::move(pattern), negate, to});
}

void MultilineRules::add_preset(std::string_view name) {
  const std::vector<RuleText>& rules = preset_rules(name);
  if (rules.empty()) {
    throw std::invalid_argument("unknown multiline preset \"" + std::string(name) +
                                "\" (known: " + preset_names() + ")");
  }
  // The preset's states 1..n become states offset+1..offset+n here.
  const int offset = static_cast<int>(states_.size()) - 1;
  int highest = 0;
  for (const RuleText& rule : rules) highest = std::max({highest, rule.from, rule.to});
  for (int i = 0; i < highest; ++i) add_state();
  const auto here = [&](int state) { return state <= kStartState ? state : state + offset; };
  for (const RuleText& rule : rules) {
    add_rule(here(rule.from), UserRegex::compile_checked(rule.pattern), false, here(rule.to));
  }
}

void MultilineRules::add_user_patterns(const RuleChoice& choice) {
  const int open = add_state();
  std::optional<UserRegex> start;
  if (!choice.start.empty()) start = UserRegex::compile_checked(choice.start);
  if (choice.continue_pattern.empty()) {  // start only: every other line continues
    add_rule(kStartState, start, false, open);
    add_rule(open, start, true, open);
    return;
  }
  add_rule(kStartState, start, false, open);  // no start: every line opens
  add_rule(open, UserRegex::compile_checked(choice.continue_pattern), false, open);
}

std::optional<int> MultilineRules::first_match(int state, std::string_view line) const {
  for (const Rule& rule : states_[static_cast<std::size_t>(state)]) {
    if (!rule.pattern || rule.pattern->found_in(line) != rule.negate) return rule.to;
  }
  return std::nullopt;
}

std::optional<int> MultilineRules::continues(int state, std::string_view line) const {
  if (state <= kStartState) return std::nullopt;
  return first_match(state, line);
}

}  // namespace lc::multiline
