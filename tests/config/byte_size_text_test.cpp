#include "config/byte_size_text.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

TEST(ByteSizeText, ParsesBinaryUnits) {
  EXPECT_EQ(parse_byte_size("512KiB"), 512u * 1024);
  EXPECT_EQ(parse_byte_size("64MiB"), 64ull * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("1GiB"), 1024ull * 1024 * 1024);
  EXPECT_EQ(parse_byte_size("2TiB"), 2ull * 1024 * 1024 * 1024 * 1024);
}

TEST(ByteSizeText, ParsesDecimalUnits) {
  EXPECT_EQ(parse_byte_size("10KB"), 10'000u);
  EXPECT_EQ(parse_byte_size("10MB"), 10'000'000u);
  EXPECT_EQ(parse_byte_size("3GB"), 3'000'000'000u);
  EXPECT_EQ(parse_byte_size("1TB"), 1'000'000'000'000u);
}

TEST(ByteSizeText, ParsesPlainBytes) {
  EXPECT_EQ(parse_byte_size("100"), 100u);
  EXPECT_EQ(parse_byte_size("100B"), 100u);
  EXPECT_EQ(parse_byte_size("0"), 0u);
  EXPECT_EQ(parse_byte_size("64 MiB"), 64ull * 1024 * 1024);
}

TEST(ByteSizeText, RejectsMalformedText) {
  for (const char* bad : {"", "lots", "MiB", "-1", "-1MiB", "1.5MiB", "64mib", "64M", "64 ",
                          "64  MiB", "64MiBs", "+64", " 64", "0x40"}) {
    EXPECT_FALSE(parse_byte_size(bad).has_value()) << "'" << bad << "'";
  }
}

TEST(ByteSizeText, RejectsOverflow) {
  EXPECT_EQ(parse_byte_size("18446744073709551615"), 18446744073709551615ull);
  EXPECT_FALSE(parse_byte_size("18446744073709551616").has_value());
  EXPECT_FALSE(parse_byte_size("16777216TiB").has_value());
  EXPECT_EQ(parse_byte_size("16777215TiB"), 16777215ull << 40);
}

TEST(ByteSizeText, FormatsShortestExactForm) {
  EXPECT_EQ(format_byte_size(64ull * 1024 * 1024), "64MiB");
  EXPECT_EQ(format_byte_size(1024), "1KiB");
  EXPECT_EQ(format_byte_size(10'000'000), "10MB");
  EXPECT_EQ(format_byte_size(1500), "1500");
  EXPECT_EQ(format_byte_size(0), "0");
  EXPECT_EQ(format_byte_size(1ull << 40), "1TiB");
}

TEST(ByteSizeText, FormatRoundTrips) {
  for (std::uint64_t bytes : {1ull, 1023ull, 4096ull, 10'000ull, 123'456'789ull, 5ull << 30}) {
    EXPECT_EQ(parse_byte_size(format_byte_size(bytes)), bytes) << bytes;
  }
}

}  // namespace
}  // namespace lc
