#include "core/user_regex.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <stdexcept>
#include <vector>

namespace lc {
namespace {

struct UnsupportedConstruct {
  std::string_view spelling;
  std::string_view explanation;
};

// Constructs that need backtracking, which RE2 refuses by design, with what to write instead.
constexpr std::array<UnsupportedConstruct, 12> kUnsupported{{
    {"(?=", "lookahead (?=...) is not supported: match the text itself, or add a `when:`"},
    {"(?!",
     "negative lookahead (?!...) is not supported: match the wanted text instead, or "
     "use a filter's `exclude`"},
    {"(?<=", "lookbehind (?<=...) is not supported: match the text before it too"},
    {"(?<!", "negative lookbehind (?<!...) is not supported"},
    {"(?>", "atomic groups (?>...) are not needed: RE2 never backtracks; write (?:...)"},
    {"(?|", "branch reset groups (?|...) are not supported"},
    {"(?(", "conditionals (?(...)...) are not supported"},
    {"(?R)", "recursion (?R) is not supported"},
    {"\\k<", "named backreferences \\k<name> are not supported"},
    {"\\G", "\\G is not supported"},
    {"\\Z", "\\Z is not supported: use \\z (end of text) or $"},
    {"\\K", "\\K is not supported: capture the part to keep instead"},
}};

// A pattern cut into what matters to the checks below: an escape ("\\1"), a whole character
// class ("[(?<]"), or one other character.
struct PatternToken {
  std::string_view text;
  enum class Kind { kEscape, kClass, kOther } kind;
};

std::vector<PatternToken> tokens_of(std::string_view pattern) {
  std::vector<PatternToken> tokens;
  for (std::size_t i = 0; i < pattern.size();) {
    std::size_t end = i + 1;
    auto kind = PatternToken::Kind::kOther;
    if (pattern[i] == '\\') {
      kind = PatternToken::Kind::kEscape;
      end = std::min(i + 2, pattern.size());
    } else if (pattern[i] == '[') {
      kind = PatternToken::Kind::kClass;
      if (end < pattern.size() && pattern[end] == '^') ++end;
      if (end < pattern.size() && pattern[end] == ']') ++end;  // []...] holds a ]
      while (end < pattern.size() && pattern[end] != ']') end += pattern[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, pattern.size());
    }
    tokens.push_back({pattern.substr(i, end - i), kind});
    i = end;
  }
  return tokens;
}

bool is_other(const std::vector<PatternToken>& tokens, std::size_t i, std::string_view text) {
  return i < tokens.size() && tokens[i].kind == PatternToken::Kind::kOther &&
         tokens[i].text == text;
}

// A backreference (\1..\9), or a possessive quantifier (a++, a*+, a?+, a{2}+).
std::optional<std::string> find_backtracking_only(std::string_view pattern) {
  const std::vector<PatternToken> tokens = tokens_of(pattern);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const PatternToken& token = tokens[i];
    if (token.kind == PatternToken::Kind::kEscape && token.text.size() == 2 &&
        token.text[1] >= '1' && token.text[1] <= '9') {
      return "backreferences (" + std::string(token.text) +
             ") are not supported: they need backtracking";
    }
    const bool quantifier = is_other(tokens, i, "+") || is_other(tokens, i, "*") ||
                            is_other(tokens, i, "?") || is_other(tokens, i, "}");
    if (quantifier && is_other(tokens, i + 1, "+") && !(i > 0 && is_other(tokens, i - 1, "("))) {
      return "possessive quantifiers (" + std::string(token.text) +
             "+) are not needed: RE2 never backtracks; drop the +";
    }
  }
  return std::nullopt;
}

std::string explain(std::string_view pattern, const re2::RE2& failed) {
  std::string problem =
      "not a regex RE2 accepts (the linear-time engine user regexes run on): " + failed.error();
  for (const UnsupportedConstruct& construct : kUnsupported) {
    if (pattern.find(construct.spelling) != std::string_view::npos) {
      return problem + "; " + std::string(construct.explanation);
    }
  }
  if (auto construct = find_backtracking_only(pattern)) return problem + "; " + *construct;
  return problem;
}

re2::RE2::Options user_options() {
  re2::RE2::Options options;
  options.set_log_errors(false);  // the config reader reports the problem with file and line
  return options;
}

}  // namespace

std::string with_re2_named_groups(std::string_view pattern) {
  const std::vector<PatternToken> tokens = tokens_of(pattern);
  std::string out;
  out.reserve(pattern.size() + 4);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const bool named_group = is_other(tokens, i, "(") && is_other(tokens, i + 1, "?") &&
                             is_other(tokens, i + 2, "<") && i + 3 < tokens.size() &&
                             !is_other(tokens, i + 3, "=") && !is_other(tokens, i + 3, "!");
    if (named_group) {
      out += "(?P<";
      i += 2;
      continue;
    }
    out += tokens[i].text;
  }
  return out;
}

std::optional<UserRegex> UserRegex::compile(std::string_view pattern, std::string& problem) {
  auto compiled = std::make_shared<const re2::RE2>(with_re2_named_groups(pattern), user_options());
  if (!compiled->ok()) {
    problem = explain(pattern, *compiled);
    return std::nullopt;
  }
  // This RE2 accepts a name twice and answers for the first group only: a second `secret`
  // would go unredacted, a second capture would make a duplicate field.
  std::set<std::string> names;
  for (const auto& group : compiled->CapturingGroupNames()) {
    if (!names.insert(group.second).second) {
      problem = "the group name \"" + group.second + "\" is used twice";
      return std::nullopt;
    }
  }
  return UserRegex(std::string(pattern), std::move(compiled));
}

UserRegex UserRegex::compile_checked(std::string_view pattern) {
  std::string problem;
  auto regex = compile(pattern, problem);
  if (!regex) throw std::invalid_argument("regex \"" + std::string(pattern) + "\": " + problem);
  return std::move(*regex);
}

bool UserRegex::found_in(std::string_view text) const {
  return re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *compiled_);
}

std::optional<std::string> check_user_regex(std::string_view pattern) {
  std::string problem;
  if (UserRegex::compile(pattern, problem)) return std::nullopt;
  return problem;
}

}  // namespace lc
