#include "config/environment_expansion.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <map>

#include "config/config_error.hpp"

namespace lc {
namespace {

using ::testing::HasSubstr;

class EnvironmentExpansionTest : public ::testing::Test {
 protected:
  std::string expand(std::string_view text) {
    return expand_environment(text, "cfg.yaml", [this](const std::string& name) {
      auto it = variables_.find(name);
      return it == variables_.end() ? std::nullopt : std::optional<std::string>(it->second);
    });
  }
  std::string error_of(std::string_view text) {
    try {
      expand(text);
    } catch (const ConfigError& error) {
      return error.what();
    }
    ADD_FAILURE() << "no ConfigError for: " << text;
    return {};
  }

  std::map<std::string, std::string> variables_{
      {"HOST", "docker.internal"}, {"EMPTY", ""}, {"PORT", "8401"}, {"DOLLAR", "a$b"}};
};

TEST_F(EnvironmentExpansionTest, ReplacesSetVariables) {
  EXPECT_EQ(expand("listen: ${HOST}:${PORT}\n"), "listen: docker.internal:8401\n");
  EXPECT_EQ(expand("${HOST}"), "docker.internal");
  EXPECT_EQ(expand("a: ${EMPTY}x"), "a: x");
}

TEST_F(EnvironmentExpansionTest, DefaultUsedWhenUnsetOrEmpty) {
  EXPECT_EQ(expand("a: ${MISSING:-fallback}"), "a: fallback");
  EXPECT_EQ(expand("a: ${EMPTY:-fallback}"), "a: fallback");
  EXPECT_EQ(expand("a: ${HOST:-fallback}"), "a: docker.internal");
  EXPECT_EQ(expand("a: ${MISSING:-}"), "a: ");
  EXPECT_EQ(expand("a: ${MISSING:-127.0.0.1:${PORT}}"), "a: 127.0.0.1:8401");
  EXPECT_EQ(expand("a: ${MISSING:-${ALSO_MISSING:-deep}}"), "a: deep");
}

TEST_F(EnvironmentExpansionTest, DoubleDollarEscapes) {
  EXPECT_EQ(expand("a: $${HOST}"), "a: ${HOST}");
  EXPECT_EQ(expand("price: 5$$"), "price: 5$");
  EXPECT_EQ(expand("a: $$$${HOST}"), "a: $${HOST}");
  EXPECT_EQ(expand("a: $$${HOST}"), "a: $docker.internal");
}

TEST_F(EnvironmentExpansionTest, LoneDollarStays) {
  EXPECT_EQ(expand("a: cost $5 $"), "a: cost $5 $");
  EXPECT_EQ(expand("a: ^foo$"), "a: ^foo$");
}

TEST_F(EnvironmentExpansionTest, ValuesAreNotExpandedAgain) {
  variables_["NESTED"] = "${HOST}";
  EXPECT_EQ(expand("a: ${NESTED}"), "a: ${HOST}");
  EXPECT_EQ(expand("a: ${DOLLAR}"), "a: a$b");
}

TEST_F(EnvironmentExpansionTest, CommentsAreCopiedUntouched) {
  EXPECT_EQ(expand("# set ${UNSET_IN_COMMENT}\na: 1\n"), "# set ${UNSET_IN_COMMENT}\na: 1\n");
  EXPECT_EQ(expand("  # ${X}\n"), "  # ${X}\n");
  EXPECT_EQ(expand("a: ${HOST} # was ${UNSET}\n"), "a: docker.internal # was ${UNSET}\n");
  // Not comments: '#' inside quotes or glued to a word.
  EXPECT_EQ(expand("a: \"x # ${HOST}\"\n"), "a: \"x # docker.internal\"\n");
  EXPECT_EQ(expand("a: 'x # ${HOST}'\n"), "a: 'x # docker.internal'\n");
  EXPECT_EQ(expand("a: x#${HOST}\n"), "a: x#docker.internal\n");
  // An apostrophe inside a plain scalar does not open a quote.
  EXPECT_EQ(expand("a: it's ${HOST} # ${UNSET}\n"), "a: it's docker.internal # ${UNSET}\n");
  EXPECT_EQ(expand("a: \"q\\\" # ${HOST}\"\n"), "a: \"q\\\" # docker.internal\"\n");
}

TEST_F(EnvironmentExpansionTest, KeepsLineStructure) {
  const std::string text = "a: 1\n\nb: ${HOST}\r\nc: 3";
  EXPECT_EQ(expand(text), "a: 1\n\nb: docker.internal\r\nc: 3");
}

TEST_F(EnvironmentExpansionTest, UnsetVariableWithoutDefaultNamesLineAndColumn) {
  const std::string message = error_of("a: 1\nb: 2\nc: x${NOT_SET}\n");
  EXPECT_EQ(message,
            "cfg.yaml:3:5: environment variable 'NOT_SET' is not set (write ${NOT_SET:-default} "
            "to give a default)");
}

TEST_F(EnvironmentExpansionTest, ReportsEveryUnsetVariable) {
  const std::string message = error_of("a: ${ONE}\nb: ${HOST}\nc: ${TWO}\n");
  EXPECT_THAT(message, HasSubstr("cfg.yaml:1:4: environment variable 'ONE'"));
  EXPECT_THAT(message, HasSubstr("\ncfg.yaml:3:4: environment variable 'TWO'"));
}

TEST_F(EnvironmentExpansionTest, MalformedReferencesAreErrors) {
  EXPECT_THAT(error_of("a: ${}"), HasSubstr("cfg.yaml:1:4: expected a variable name"));
  EXPECT_THAT(error_of("a: ${1ABC}"), HasSubstr("cfg.yaml:1:4: expected a variable name"));
  EXPECT_THAT(error_of("\na: ${HOST"), HasSubstr("cfg.yaml:2:4: malformed reference to 'HOST'"));
  EXPECT_THAT(error_of("a: ${HOST-x}"), HasSubstr("malformed reference to 'HOST'"));
  EXPECT_THAT(error_of("a: ${HOST:-x\nb: 1\n"), HasSubstr("cfg.yaml:1:4: unterminated"));
  EXPECT_THAT(error_of("a: ${MISSING:-${ALSO}}"),
              HasSubstr("cfg.yaml:1:15: environment variable 'ALSO'"));
}

TEST(EnvironmentExpansionProcess, ReadsTheProcessEnvironment) {
  ::setenv("LC_CONFIG_TEST_VALUE", "from-env", 1);
  ::unsetenv("LC_CONFIG_TEST_UNSET");
  EXPECT_EQ(expand_environment("a: ${LC_CONFIG_TEST_VALUE}", "x"), "a: from-env");
  EXPECT_EQ(expand_environment("a: ${LC_CONFIG_TEST_UNSET:-d}", "x"), "a: d");
  EXPECT_THROW(expand_environment("a: ${LC_CONFIG_TEST_UNSET}", "x"), ConfigError);
  ::unsetenv("LC_CONFIG_TEST_VALUE");
}

}  // namespace
}  // namespace lc
