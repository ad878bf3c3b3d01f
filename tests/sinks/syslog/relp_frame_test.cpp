// RELP frames: writing them, reading them whole, split or garbled, and the status of a "rsp".
#include "sinks/syslog/relp_frame.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>

namespace lc {
namespace {

constexpr std::size_t kMaxData = 1024;

std::string frame_text(std::uint32_t txnr, std::string_view command, std::string_view data) {
  std::string out;
  append_relp_frame(txnr, command, data, out);
  return out;
}

TEST(RelpFrameTest, FramesAreWrittenWithTheirDataLength) {
  EXPECT_EQ(frame_text(2, "syslog", "hello"), "2 syslog 5 hello\n");
  EXPECT_EQ(frame_text(3, "close", ""), "3 close 0\n");
  EXPECT_EQ(frame_text(1, "open", "relp_version=0\ncommands=syslog"),
            "1 open 30 relp_version=0\ncommands=syslog\n");
  std::string out = "kept";
  append_relp_frame(4, "syslog", "a", out);
  EXPECT_EQ(out, "kept4 syslog 1 a\n");
}

TEST(RelpFrameTest, AWholeFrameIsRead) {
  std::size_t consumed = 99;
  const auto frame = parse_relp_frame("2 rsp 6 200 OK\n", consumed, kMaxData);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->txnr, 2u);
  EXPECT_EQ(frame->command, "rsp");
  EXPECT_EQ(frame->data, "200 OK");
  EXPECT_EQ(consumed, 15u);
}

TEST(RelpFrameTest, AFrameWithoutDataIsRead) {
  std::size_t consumed = 0;
  const auto frame = parse_relp_frame("0 serverclose 0\n", consumed, kMaxData);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->txnr, 0u);
  EXPECT_EQ(frame->command, "serverclose");
  EXPECT_EQ(frame->data, "");
  EXPECT_EQ(consumed, 16u);
}

TEST(RelpFrameTest, AFrameSplitAnywhereWaitsForItsLastByte) {
  for (const std::string text : {"2 syslog 5 hello\n", "0 serverclose 0\n", "12 rsp 6 200 OK\n"}) {
    for (std::size_t size = 0; size < text.size(); ++size) {
      std::size_t consumed = 99;
      EXPECT_FALSE(parse_relp_frame(std::string_view(text).substr(0, size), consumed, kMaxData))
          << "'" << text.substr(0, size) << "'";
      EXPECT_EQ(consumed, 0u) << "'" << text.substr(0, size) << "'";
    }
    std::size_t consumed = 0;
    EXPECT_TRUE(parse_relp_frame(text, consumed, kMaxData)) << text;
    EXPECT_EQ(consumed, text.size()) << text;
  }
}

TEST(RelpFrameTest, FramesBackToBackAreReadOneByOne) {
  const std::string buffer = "1 rsp 6 200 OK\n2 rsp 14 500 not ready\n\n3 rsp 6 200 OK\n";
  std::string_view rest = buffer;
  std::size_t consumed = 0;
  auto first = parse_relp_frame(rest, consumed, kMaxData);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->txnr, 1u);
  EXPECT_EQ(first->data, "200 OK");
  rest.remove_prefix(consumed);
  auto second = parse_relp_frame(rest, consumed, kMaxData);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->txnr, 2u);
  EXPECT_EQ(second->data, "500 not ready\n");
  rest.remove_prefix(consumed);
  auto third = parse_relp_frame(rest, consumed, kMaxData);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->txnr, 3u);
  rest.remove_prefix(consumed);
  EXPECT_TRUE(rest.empty());
  EXPECT_FALSE(parse_relp_frame(rest, consumed, kMaxData));
  EXPECT_EQ(consumed, 0u);
}

TEST(RelpFrameTest, DataIsDelimitedByItsLengthNotByNewlines) {
  std::string buffer;
  append_relp_frame(7, "syslog", "line one\nline two\n", buffer);
  append_relp_frame(8, "syslog", "\n", buffer);
  std::size_t consumed = 0;
  const auto first = parse_relp_frame(buffer, consumed, kMaxData);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->data, "line one\nline two\n");
  const auto second =
      parse_relp_frame(std::string_view(buffer).substr(consumed), consumed, kMaxData);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->txnr, 8u);
  EXPECT_EQ(second->data, "\n");
  // Cut inside the data, at one of its newlines: not whole yet.
  EXPECT_FALSE(parse_relp_frame("7 syslog 18 line one\n", consumed, kMaxData));
  EXPECT_EQ(consumed, 0u);
}

TEST(RelpFrameTest, BytesThatAreNoRelpThrow) {
  std::size_t consumed = 0;
  for (const std::string_view garbage :
       {"HTTP/1.1 400 Bad Request\r\n", "2\n", "2 rsp x\n", "2 rsp 6x200 OK\n", "2 rsp 2 okX",
        "2 rsp 0 \n", " 2 rsp 0\n", "2  rsp 0\n", "2 r5p 0\n", "2 rsp 0x\n"}) {
    EXPECT_THROW(parse_relp_frame(garbage, consumed, kMaxData), std::runtime_error) << garbage;
    EXPECT_EQ(consumed, 0u) << garbage;
  }
}

TEST(RelpFrameTest, NumbersOrCommandsTooLongThrowEvenBeforeTheyEnd) {
  std::size_t consumed = 0;
  EXPECT_THROW(parse_relp_frame("1234567890", consumed, kMaxData), std::runtime_error);
  EXPECT_THROW(parse_relp_frame("1234567890 rsp 0\n", consumed, kMaxData), std::runtime_error);
  EXPECT_THROW(parse_relp_frame("1 rsp 1234567890", consumed, kMaxData), std::runtime_error);
  EXPECT_THROW(parse_relp_frame("1 " + std::string(33, 'a'), consumed, kMaxData),
               std::runtime_error);
  // Nine digits and 32 letters are still RELP.
  EXPECT_FALSE(parse_relp_frame("123456789 " + std::string(32, 'a') + " 1", consumed, kMaxData));
  const auto frame = parse_relp_frame("123456789 rsp 0\n", consumed, kMaxData);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->txnr, 123456789u);
}

TEST(RelpFrameTest, DataLongerThanTheLimitThrowsBeforeItArrives) {
  std::size_t consumed = 0;
  EXPECT_THROW(parse_relp_frame("1 rsp 11 ", consumed, 10), std::runtime_error);
  EXPECT_THROW(parse_relp_frame("1 rsp 999999999 ", consumed, kMaxData), std::runtime_error);
  const auto frame = parse_relp_frame("1 rsp 10 0123456789\n", consumed, 10);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->data, "0123456789");
}

TEST(RelpFrameTest, ResponseStatusIsItsFirstThreeDigits) {
  EXPECT_EQ(relp_response_status("200 OK"), 200u);
  EXPECT_EQ(relp_response_status("500 error"), 500u);
  EXPECT_EQ(relp_response_status("200 OK\nrelp_version=0\ncommands=syslog"), 200u);
  EXPECT_EQ(relp_response_status("200"), 200u);
  EXPECT_EQ(relp_response_status("OK"), 0u);
  EXPECT_EQ(relp_response_status(""), 0u);
  EXPECT_EQ(relp_response_status("20 OK"), 0u);
  EXPECT_EQ(relp_response_status("-20 OK"), 0u);
}

}  // namespace
}  // namespace lc
