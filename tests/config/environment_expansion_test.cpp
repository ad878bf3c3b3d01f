#include "config/environment_expansion.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <map>

#include "config/config_error.hpp"

namespace lc {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class EnvironmentExpansionTest : public ::testing::Test {
 protected:
  EnvironmentLookup lookup() {
    return [this](const std::string& name) {
      auto it = variables_.find(name);
      return it == variables_.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }
  std::string expand(std::string_view value) {
    ExpandedValue expanded = expand_environment_in_value(value, lookup());
    EXPECT_THAT(expanded.problems, ElementsAre()) << value;
    return expanded.text;
  }
  std::vector<std::string> problems_of(std::string_view value) {
    return expand_environment_in_value(value, lookup()).problems;
  }
  // Parses `yaml`, expands its values; returns the tree (problems in `diagnostics_`).
  YAML::Node expand_document(const std::string& yaml) {
    YAML::Node root = YAML::Load(yaml);
    expand_environment_in_values(root, diagnostics_, lookup());
    return root;
  }
  std::string diagnostics_message() {
    try {
      diagnostics_.throw_if_any();
    } catch (const ConfigError& error) {
      return error.what();
    }
    return {};
  }

  std::map<std::string, std::string> variables_{
      {"HOST", "docker.internal"}, {"EMPTY", ""}, {"PORT", "8401"}, {"DOLLAR", "a$b"}};
  ConfigDiagnostics diagnostics_{"cfg.yaml"};
};

TEST_F(EnvironmentExpansionTest, ReplacesSetVariables) {
  EXPECT_EQ(expand("${HOST}:${PORT}"), "docker.internal:8401");
  EXPECT_EQ(expand("${HOST}"), "docker.internal");
  EXPECT_EQ(expand("${EMPTY}x"), "x");
}

TEST_F(EnvironmentExpansionTest, DefaultUsedWhenUnsetOrEmpty) {
  EXPECT_EQ(expand("${MISSING:-fallback}"), "fallback");
  EXPECT_EQ(expand("${EMPTY:-fallback}"), "fallback");
  EXPECT_EQ(expand("${HOST:-fallback}"), "docker.internal");
  EXPECT_EQ(expand("${MISSING:-}"), "");
  EXPECT_EQ(expand("${MISSING:-127.0.0.1:${PORT}}"), "127.0.0.1:8401");
  EXPECT_EQ(expand("${MISSING:-${ALSO_MISSING:-deep}}"), "deep");
}

TEST_F(EnvironmentExpansionTest, DoubleDollarEscapes) {
  EXPECT_EQ(expand("$${HOST}"), "${HOST}");
  EXPECT_EQ(expand("5$$"), "5$");
  EXPECT_EQ(expand("$$$${HOST}"), "$${HOST}");
  EXPECT_EQ(expand("$$${HOST}"), "$docker.internal");
}

TEST_F(EnvironmentExpansionTest, LoneDollarStays) {
  EXPECT_EQ(expand("cost $5 $"), "cost $5 $");
  EXPECT_EQ(expand("^foo$"), "^foo$");
}

TEST_F(EnvironmentExpansionTest, ValuesAreNotExpandedAgain) {
  variables_["NESTED"] = "${HOST}";
  EXPECT_EQ(expand("${NESTED}"), "${HOST}");
  EXPECT_EQ(expand("${DOLLAR}"), "a$b");
}

TEST_F(EnvironmentExpansionTest, MalformedReferencesAreProblems) {
  EXPECT_THAT(problems_of("${}"), ElementsAre(HasSubstr("expected a variable name")));
  EXPECT_THAT(problems_of("${1ABC}"), ElementsAre(HasSubstr("expected a variable name")));
  EXPECT_THAT(problems_of("${HOST"), ElementsAre(HasSubstr("malformed reference to 'HOST'")));
  EXPECT_THAT(problems_of("${HOST-x}"), ElementsAre(HasSubstr("malformed reference to 'HOST'")));
  EXPECT_THAT(problems_of("${HOST:-x"), ElementsAre(HasSubstr("unterminated")));
  EXPECT_THAT(problems_of("${MISSING:-${ALSO}}"),
              ElementsAre(HasSubstr("environment variable 'ALSO' is not set")));
}

// Values are expanded after parsing: YAML syntax inside an environment value is just text.
TEST_F(EnvironmentExpansionTest, YamlSyntaxInAValueArrivesAsWritten) {
  const std::vector<std::string> values = {
      "pa #ss",   "a: b",    "*ref",     "&anchor",     "!tag",        "|",
      "> folded", "{a: 1}",  "[x, y]",   "%TAG",        "@at",         "back\\tslash",
      "- item",   "'single", "\"double", "multi\nline", "${NOT_A_REF}"};
  for (const auto& value : values) {
    variables_["SECRET"] = value;
    const YAML::Node root = expand_document(
        "plain: ${SECRET}\ndouble: \"${SECRET}\"\nsingle: '${SECRET}'\nlist: [\"${SECRET}\"]\n");
    EXPECT_EQ(root["plain"].Scalar(), value);
    EXPECT_EQ(root["double"].Scalar(), value);
    EXPECT_EQ(root["single"].Scalar(), value);
    EXPECT_EQ(root["list"][0].Scalar(), value);
  }
  EXPECT_EQ(diagnostics_message(), "");
}

TEST_F(EnvironmentExpansionTest, CommentsAndKeysAreNotExpanded) {
  const YAML::Node root =
      expand_document("# set ${UNSET_IN_COMMENT}\na: ${HOST} # was ${UNSET}\n${KEY}: x#${HOST}\n");
  EXPECT_EQ(root["a"].Scalar(), "docker.internal");
  EXPECT_EQ(root["${KEY}"].Scalar(), "x#docker.internal");
  EXPECT_EQ(diagnostics_message(), "");
}

TEST_F(EnvironmentExpansionTest, PlainValueExpandingToNothingIsNull) {
  const YAML::Node root = expand_document("plain: ${EMPTY}\nquoted: \"${MISSING:-}\"\n");
  EXPECT_TRUE(root["plain"].IsNull());
  EXPECT_TRUE(root["quoted"].IsScalar());
  EXPECT_EQ(root["quoted"].Scalar(), "");
}

TEST_F(EnvironmentExpansionTest, AnAliasedValueIsExpandedOnce) {
  variables_["NESTED"] = "${HOST}";
  const YAML::Node root = expand_document("a: &shared ${NESTED}\nb: *shared\n");
  EXPECT_EQ(root["a"].Scalar(), "${HOST}");
  EXPECT_EQ(root["b"].Scalar(), "${HOST}");
}

TEST_F(EnvironmentExpansionTest, ProblemsNameLineColumnAndKey) {
  expand_document("a: 1\nsinks:\n  loki:\n    password: x${NOT_SET}\n  list:\n    - ${TWO}\n");
  EXPECT_EQ(diagnostics_message(),
            "cfg.yaml:4:15: sinks.loki.password: environment variable 'NOT_SET' is not set "
            "(write ${NOT_SET:-default} to give a default)\n"
            "cfg.yaml:6:7: sinks.list[0]: environment variable 'TWO' is not set (write "
            "${TWO:-default} to give a default)");
}

TEST(EnvironmentExpansionProcess, ReadsTheProcessEnvironment) {
  ::setenv("LC_CONFIG_TEST_VALUE", "from-env", 1);
  ::unsetenv("LC_CONFIG_TEST_UNSET");
  const YAML::Node root = YAML::Load(
      "a: ${LC_CONFIG_TEST_VALUE}\nb: ${LC_CONFIG_TEST_UNSET:-d}\nc: ${LC_CONFIG_TEST_UNSET}\n");
  ConfigDiagnostics diagnostics("x");
  expand_environment_in_values(root, diagnostics);
  EXPECT_EQ(root["a"].Scalar(), "from-env");
  EXPECT_EQ(root["b"].Scalar(), "d");
  EXPECT_EQ(diagnostics.count(), 1u);
  ::unsetenv("LC_CONFIG_TEST_VALUE");
}

}  // namespace
}  // namespace lc
