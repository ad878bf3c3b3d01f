// Secrets from files (sinks.loki.password_file, bearer_token_file, ...): the content without a
// trailing line break, checked like the value itself, never echoed in a message.
#include "config/secret_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "config/config_loader.hpp"
#include "sinks/loki/loki_sink_options.hpp"
#include "support/temp_directory.hpp"

namespace lc {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class SecretFileTest : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    return dir_ / name;
  }
  std::string error_of(const std::string& loki_keys) {
    try {
      parse_config_text("sinks:\n  loki:\n" + loki_keys, "cfg.yaml");
    } catch (const ConfigError& error) {
      return error.what();
    }
    return "no error";
  }
  testing::TempDirectory dir_;
};

TEST_F(SecretFileTest, TheContentWithoutItsLastLineBreakIsTheSecret) {
  std::string secret;
  EXPECT_FALSE(read_secret_file(write("a", "s3cret\n"), secret));
  EXPECT_EQ(secret, "s3cret");
  EXPECT_FALSE(read_secret_file(write("b", "s3cret\r\n"), secret));
  EXPECT_EQ(secret, "s3cret");
  EXPECT_FALSE(read_secret_file(write("c", "two\nlines"), secret));
  EXPECT_EQ(secret, "two\nlines");
}

TEST_F(SecretFileTest, ProblemsNameThePathNotTheContent) {
  std::string secret = "kept";
  EXPECT_EQ(read_secret_file(dir_ / "missing", secret),
            "cannot read '" + dir_ / "missing" + "': No such file or directory");
  EXPECT_EQ(read_secret_file(write("empty", "\n"), secret), "'" + dir_ / "empty" + "' is empty");
  EXPECT_THAT(*read_secret_file(write("big", std::string(70'000, 'x')), secret),
              HasSubstr("is larger than 64KiB"));
  EXPECT_EQ(secret, "kept");
}

TEST_F(SecretFileTest, ALokiSinkReadsItsCredentialsFromFiles) {
  const std::string password = write("password", "pa ss\n");
  const std::string token = write("token", "tok\n");
  const AgentConfig basic = parse_config_text(
      "sinks:\n  loki:\n    username: u\n    password_file: " + password + "\n", "cfg.yaml");
  EXPECT_EQ(basic.find_sink("loki")->options_as<LokiSinkOptions>().password, "pa ss");
  const AgentConfig bearer =
      parse_config_text("sinks:\n  loki:\n    bearer_token_file: " + token + "\n", "cfg.yaml");
  EXPECT_EQ(bearer.find_sink("loki")->options_as<LokiSinkOptions>().bearer_token, "tok");
}

TEST_F(SecretFileTest, TheFileIsCheckedLikeTheValueAndTheRulesStillHold) {
  const std::string password = write("password", "pw");
  EXPECT_THAT(
      error_of("    username: u\n    password: x\n    password_file: " + password + "\n"),
      HasSubstr("sinks.loki.password_file: set either password or password_file, not both"));
  EXPECT_THAT(error_of("    password_file: " + password + "\n"),
              HasSubstr("sinks.loki.password: set username too"));
  const std::string broken = write("broken", "line1\r\nX-Evil: yes");
  const std::string message = error_of("    bearer_token_file: " + broken + "\n");
  EXPECT_THAT(message, HasSubstr("sinks.loki.bearer_token_file: the file's content: must not "
                                 "contain control characters"));
  EXPECT_THAT(message, Not(HasSubstr("Evil")));
  EXPECT_THAT(error_of("    bearer_token_file: " + dir_ / "nope" + "\n"),
              HasSubstr("sinks.loki.bearer_token_file: cannot read"));
}

}  // namespace
}  // namespace lc
