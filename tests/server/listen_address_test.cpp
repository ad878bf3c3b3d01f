#include "server/listen_address.hpp"

#include <gtest/gtest.h>

namespace lc::server {
namespace {

std::string show(std::string_view listen) {
  const auto endpoint = parse_listen_address(listen);
  return endpoint.address().to_string() + " " + std::to_string(endpoint.port());
}

TEST(ListenAddressTest, AcceptsTheWrittenForms) {
  EXPECT_EQ(show("127.0.0.1:8401"), "127.0.0.1 8401");
  EXPECT_EQ(show("0.0.0.0:0"), "0.0.0.0 0");
  EXPECT_EQ(show("[::1]:8401"), "::1 8401");
  EXPECT_EQ(show("[::]:65535"), ":: 65535");
  EXPECT_EQ(show("localhost:8001"), "127.0.0.1 8001");
  EXPECT_EQ(show(":8001"), "0.0.0.0 8001");
}

TEST(ListenAddressTest, RejectsWithTheReason) {
  const auto reason = [](std::string_view listen) {
    try {
      parse_listen_address(listen);
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(reason("8401"), "invalid listen address \"8401\": expected host:port");
  EXPECT_EQ(reason("127.0.0.1:65536"),
            "invalid listen address \"127.0.0.1:65536\": port must be a number from 0 to 65535");
  EXPECT_EQ(reason("127.0.0.1:"),
            "invalid listen address \"127.0.0.1:\": port must be a number from 0 to 65535");
  EXPECT_EQ(reason("127.0.0.1:80x"),
            "invalid listen address \"127.0.0.1:80x\": port must be a number from 0 to 65535");
  EXPECT_EQ(reason("127.0.0.1:-1"),
            "invalid listen address \"127.0.0.1:-1\": port must be a number from 0 to 65535");
  EXPECT_EQ(reason("::1:80"), "invalid listen address \"::1:80\": write IPv6 hosts as [addr]:port");
  EXPECT_EQ(reason("[::1]80"), "invalid listen address \"[::1]80\": expected [ipv6]:port");
  EXPECT_EQ(reason("[::1"), "invalid listen address \"[::1\": expected [ipv6]:port");
  EXPECT_EQ(reason("300.1.1.1:80"),
            "invalid listen address \"300.1.1.1:80\": host must be an IP address or localhost");
  EXPECT_EQ(reason("[nope]:80"),
            "invalid listen address \"[nope]:80\": host must be an IP address or localhost");
}

}  // namespace
}  // namespace lc::server
