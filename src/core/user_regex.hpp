#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace lc {

// A regex a user wrote in the config (selectors' `message`, routes, parse_regex, multiline,
// redact), compiled by RE2: matching is linear in the text, so no pattern can pin a core on a
// hostile line the way backtracking engines can. Perl syntax as RE2 knows it; `(?<name>...)`
// is taken as `(?P<name>...)` (Debian 12's RE2 predates that spelling). Immutable; copies
// share the compiled program, which RE2 allows several threads to use at once.
class UserRegex {
 public:
  // Compiles `pattern`, or returns nullopt with `problem` saying why, and for a construct RE2
  // lacks (lookaround, backreferences, atomic or possessive groups, ...) which one it is.
  static std::optional<UserRegex> compile(std::string_view pattern, std::string& problem);
  // Compiles `pattern`; throws std::invalid_argument with the problem (for patterns the config
  // reader has checked already).
  static UserRegex compile_checked(std::string_view pattern);

  // Whether the pattern matches somewhere in `text`.
  bool found_in(std::string_view text) const;
  const re2::RE2& engine() const { return *compiled_; }
  const std::string& pattern() const { return pattern_; }

 private:
  UserRegex(std::string pattern, std::shared_ptr<const re2::RE2> compiled)
      : pattern_(std::move(pattern)), compiled_(std::move(compiled)) {}

  std::string pattern_;  // as the user wrote it
  std::shared_ptr<const re2::RE2> compiled_;
};

// What is wrong with `pattern` as a UserRegex (config checks), or nullopt.
std::optional<std::string> check_user_regex(std::string_view pattern);

// `pattern` with `(?<name>` spelled `(?P<name>`, outside classes and escapes.
std::string with_re2_named_groups(std::string_view pattern);

}  // namespace lc
