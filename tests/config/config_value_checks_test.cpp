#include "config/config_value_checks.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

TEST(ConfigValueChecks, ListenAddresses) {
  for (const char* good : {"", "127.0.0.1:8401", "0.0.0.0:80", "localhost:65535", "[::1]:8401",
                           "[::]:0", "my-host.example.com:1", "127.0.0.1:0"}) {
    EXPECT_FALSE(check_listen_address(good).has_value()) << good;
  }
  for (const char* bad :
       {"8401", ":8401", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:80a", "::1:8401",
        "[::1]8401", "[::1", "host name:80", "127.0.0.1:123456", "http://127.0.0.1:80"}) {
    EXPECT_TRUE(check_listen_address(bad).has_value()) << bad;
  }
  EXPECT_EQ(*check_listen_address("nope"),
            "expected host:port such as 127.0.0.1:8401 or [::1]:8401 (\"\" disables), got 'nope'");
}

TEST(ConfigValueChecks, LogLevels) {
  for (const char* good : {"trace", "debug", "info", "warn", "error"}) {
    EXPECT_FALSE(check_log_level(good).has_value()) << good;
  }
  EXPECT_EQ(*check_log_level("verbose"),
            "expected 'trace', 'debug', 'info', 'warn' or 'error', got 'verbose'");
  EXPECT_TRUE(check_log_level("INFO").has_value());
  EXPECT_TRUE(check_log_level("").has_value());
}

TEST(ConfigValueChecks, DockerHosts) {
  for (const char* good : {"", "unix:///var/run/docker.sock", "tcp://127.0.0.1:2375",
                           "tcp://docker:2376", "tcp://docker", "tcp://[::1]:2375"}) {
    EXPECT_FALSE(check_docker_host(good).has_value()) << good;
  }
  for (const char* bad : {"/var/run/docker.sock", "unix://relative.sock", "unix://", "tcp://",
                          "tcp://:2375", "http://x:1", "tcp://x:99999"}) {
    EXPECT_TRUE(check_docker_host(bad).has_value()) << bad;
  }
}

TEST(ConfigValueChecks, ApiVersionsContainerIdsAndLabels) {
  EXPECT_FALSE(check_api_version("").has_value());
  EXPECT_FALSE(check_api_version("1.41").has_value());
  EXPECT_TRUE(check_api_version("v1.41").has_value());
  EXPECT_TRUE(check_api_version("1").has_value());
  EXPECT_TRUE(check_api_version("1.").has_value());

  EXPECT_FALSE(check_container_id("").has_value());
  EXPECT_FALSE(check_container_id("0123456789ab").has_value());
  EXPECT_FALSE(check_container_id(std::string(64, 'f')).has_value());
  EXPECT_TRUE(check_container_id("0123456789a").has_value());
  EXPECT_TRUE(check_container_id(std::string(65, 'f')).has_value());
  EXPECT_TRUE(check_container_id("0123456789AB").has_value());
  EXPECT_TRUE(check_container_id("my-container").has_value());

  EXPECT_FALSE(check_label_selector("app").has_value());
  EXPECT_FALSE(check_label_selector("com.docker.compose.service=web").has_value());
  EXPECT_FALSE(check_label_selector("k=").has_value());
  EXPECT_TRUE(check_label_selector("=v").has_value());
  EXPECT_TRUE(check_label_selector("a b=c").has_value());
}

TEST(ConfigValueChecks, DistinctListeners) {
  EXPECT_FALSE(check_distinct_listeners("127.0.0.1:1", "127.0.0.1:2").has_value());
  EXPECT_FALSE(check_distinct_listeners("", "").has_value());
  EXPECT_FALSE(check_distinct_listeners("127.0.0.1:0", "127.0.0.1:0").has_value());
  EXPECT_TRUE(check_distinct_listeners("127.0.0.1:1", "127.0.0.1:1").has_value());
}

TEST(ConfigValueChecks, AllowedHosts) {
  for (const char* good : {"agent.example.com", "10.0.0.5", "[fd00::1]", "localhost"}) {
    EXPECT_EQ(check_allowed_host(good), std::nullopt) << good;
  }
  for (const char* bad : {"", "agent.example.com:8401", "http://agent", "fd00::1", "a b", "u@h"}) {
    EXPECT_NE(check_allowed_host(bad), std::nullopt) << bad;
  }
}

TEST(ConfigValueChecks, LongValuesAreShortenedInMessages) {
  EXPECT_EQ(quote_for_message("abc"), "'abc'");
  EXPECT_EQ(quote_for_message(std::string(100, 'x')),
            "'" + std::string(60, 'x') + "...' (100 bytes)");
}

}  // namespace
}  // namespace lc
