// The API answers loopback and allowed host names only, and no cross-site page.
#include "server/host_policy.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string_view>

namespace lc::server {
namespace {

using namespace std::string_view_literals;

TEST(HostPolicy, LoopbackHostsWithOrWithoutPortAreAllowed) {
  const HostPolicy policy;
  for (const auto host :
       {"localhost"sv, "localhost:8401"sv, "LocalHost"sv, "localhost."sv, "127.0.0.1"sv,
        "127.0.0.1:8401"sv, "127.1.2.3:80"sv, "[::1]"sv, "[::1]:8401"sv}) {
    EXPECT_TRUE(policy.allows(host)) << host;
    EXPECT_FALSE(policy.check(host, std::nullopt)) << host;
  }
}

TEST(HostPolicy, OtherHostsAreMisdirected) {
  const HostPolicy policy;
  for (const auto host : {"evil.example"sv, "evil.example:8401"sv, "localhost.evil.example"sv,
                          "127.0.0.1.evil.example"sv, "10.0.0.5:8401"sv, "0.0.0.0"sv, "[::]"sv,
                          "[::1"sv, "[::1]x"sv, "localhost:x"sv, ""sv, "user@localhost"sv}) {
    EXPECT_FALSE(policy.allows(host)) << host;
    const auto verdict = policy.check(host, std::nullopt);
    ASSERT_TRUE(verdict) << host;
    EXPECT_EQ(verdict->reason, HostPolicy::Refusal::kHost);
    EXPECT_EQ(verdict->response.status, 421u);
  }
  const auto missing = policy.check(std::nullopt, std::nullopt);
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->response.status, 421u);
  EXPECT_EQ(missing->response.body, R"({"error":"a Host header is required"})");
  EXPECT_EQ(policy.check("evil.example:80"sv, std::nullopt)->response.body,
            R"j({"error":"host 'evil.example:80' is not allowed (see server.allowed_hosts)"})j");
}

TEST(HostPolicy, AllowedHostsAreAcceptedWithoutCase) {
  const HostPolicy policy({"agent.example.com", "10.0.0.5", "[fd00::1]"});
  for (const auto host : {"agent.example.com"sv, "Agent.Example.COM:8401"sv, "10.0.0.5:8401"sv,
                          "[fd00::1]:8401"sv, "localhost"sv}) {
    EXPECT_FALSE(policy.check(host, std::nullopt)) << host;
  }
  EXPECT_TRUE(policy.check("other.example.com"sv, std::nullopt));
  EXPECT_TRUE(policy.check("agent.example.com.evil"sv, std::nullopt));
}

TEST(HostPolicy, CrossSiteOriginsAreForbidden) {
  const HostPolicy policy({"agent.example.com"});
  for (const auto origin : {"http://evil.example"sv, "https://evil.example:8401"sv, "null"sv,
                            "localhost"sv, "http://"sv, "file://"sv}) {
    const auto verdict = policy.check("localhost:8401"sv, origin);
    ASSERT_TRUE(verdict) << origin;
    EXPECT_EQ(verdict->reason, HostPolicy::Refusal::kOrigin);
    EXPECT_EQ(verdict->response.status, 403u);
    EXPECT_EQ(verdict->response.body, R"({"error":"cross-site request refused"})");
  }
}

TEST(HostPolicy, SameOriginPagesPass) {
  const HostPolicy policy({"agent.example.com"});
  EXPECT_FALSE(policy.check("127.0.0.1:8401"sv, "http://127.0.0.1:8401"sv));
  EXPECT_FALSE(policy.check("localhost:8401"sv, "http://localhost:8401/"sv));
  EXPECT_FALSE(policy.check("[::1]:8401"sv, "http://[::1]:8401"sv));
  EXPECT_FALSE(policy.check("agent.example.com"sv, "https://agent.example.com"sv));
}

}  // namespace
}  // namespace lc::server
