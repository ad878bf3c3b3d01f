#include "core/user_regex.hpp"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <string>

namespace lc {
namespace {

std::string regex_problem_of(std::string_view pattern) {
  return check_user_regex(pattern).value_or("");
}

TEST(UserRegex, CompilesPerlSyntaxAndSearchesAnywhere) {
  std::string problem;
  auto regex = UserRegex::compile(R"(\d{3} \w+\s)", problem);
  ASSERT_TRUE(regex) << problem;
  EXPECT_TRUE(regex->found_in("GET 404 missing page"));
  EXPECT_FALSE(regex->found_in("GET 40 missing"));
  EXPECT_EQ(regex->pattern(), R"(\d{3} \w+\s)");
}

TEST(UserRegex, NamedGroupsInEitherSpellingBecomeRe2Names) {
  EXPECT_EQ(with_re2_named_groups("(?<a>x)(?P<b>y)"), "(?P<a>x)(?P<b>y)");
  // Lookbehind, escaped parentheses and classes are left alone.
  EXPECT_EQ(with_re2_named_groups(R"((?<=x)(?<!y)\(?<c[(?<]])"), R"((?<=x)(?<!y)\(?<c[(?<]])");
  const UserRegex regex = UserRegex::compile_checked("(?<status>\\d+)");
  EXPECT_EQ(regex.engine().NamedCapturingGroups().count("status"), 1u);
}

TEST(UserRegex, ConstructsThatNeedBacktrackingAreRefusedWithTheReason) {
  EXPECT_NE(regex_problem_of("foo(?=bar)").find("lookahead (?=...) is not supported"),
            std::string::npos);
  EXPECT_NE(regex_problem_of("(?<!x)y").find("negative lookbehind"), std::string::npos);
  EXPECT_NE(regex_problem_of(R"((a)\1)").find("backreferences (\\1)"), std::string::npos);
  EXPECT_NE(regex_problem_of("a++b").find("possessive quantifiers (++)"), std::string::npos);
  EXPECT_NE(regex_problem_of("(?>ab)").find("atomic groups"), std::string::npos);
  EXPECT_NE(regex_problem_of(R"(end\Z)").find("use \\z"), std::string::npos);
  // Every problem names the engine and carries RE2's own words.
  EXPECT_NE(regex_problem_of("(open").find("not a regex RE2 accepts"), std::string::npos);
  EXPECT_NE(regex_problem_of("(open").find("missing )"), std::string::npos);
  // Within a class, a digit after a backslash is an octal escape RE2 refuses too, but not as a
  // backreference; and a+ followed by + inside a class is no quantifier.
  EXPECT_EQ(regex_problem_of("[a++]"), "");
}

TEST(UserRegex, CompileCheckedThrowsWithThePattern) {
  try {
    UserRegex::compile_checked("x(?=y)");
    FAIL();
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("x(?=y)"), std::string::npos);
  }
}

// Exponential for a backtracking engine; RE2's time is linear in the text.
TEST(UserRegex, HostileTextIsAnsweredInOnePass) {
  const UserRegex regex = UserRegex::compile_checked("^(a|aa)+$");
  EXPECT_FALSE(regex.found_in(std::string(1 << 20, 'a') + "!"));
  EXPECT_TRUE(regex.found_in(std::string(1 << 20, 'a')));
}

TEST(UserRegex, CopiesShareTheCompiledProgram) {
  const UserRegex regex = UserRegex::compile_checked("x");
  const UserRegex copy = regex;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(&regex.engine(), &copy.engine());
}

}  // namespace
}  // namespace lc
