#include "core/numbered_files.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/temp_directory.hpp"

namespace lc {
namespace {

constexpr NumberedFiles kLogs{"logs-", 10, ".ndjson"};

TEST(NumberedFilesTest, NamesArePaddedAndParseBack) {
  EXPECT_EQ(kLogs.name(7), "logs-0000000007.ndjson");
  EXPECT_EQ(kLogs.parse("logs-0000000007.ndjson"), 7u);
  EXPECT_EQ(kLogs.name(12345678901), "logs-12345678901.ndjson");  // outgrows the padding
  EXPECT_EQ(kLogs.parse("logs-12345678901.ndjson"), 12345678901u);
  EXPECT_EQ(kLogs.parse(kLogs.name(UINT64_MAX / 10)), UINT64_MAX / 10);
}

TEST(NumberedFilesTest, OtherNamesAreNotOfTheFamily) {
  for (const char* name :
       {"logs-7.ndjson", "logs-000000000a.ndjson", "logs-0000000007.json", "x-0000000007.ndjson",
        "logs-.ndjson", "logs-00000000000000000001.ndjson", "logs.ndjson", ""}) {
    EXPECT_FALSE(kLogs.parse(name).has_value()) << name;
  }
  constexpr NumberedFiles kSegments{"", 12, ".seg"};
  EXPECT_EQ(kSegments.parse("000000000003.seg"), 3u);
  EXPECT_FALSE(kSegments.parse(".seg").has_value());
}

TEST(NumberedFilesTest, ListsOnlyRegularFilesOfTheFamilyInOrder) {
  testing::TempDirectory dir;
  for (std::uint64_t seq : {12u, 3u, 7u})
    std::ofstream(std::filesystem::path(dir.path()) / kLogs.name(seq)) << "x";
  std::ofstream(std::filesystem::path(dir.path()) / "notes.txt") << "x";
  std::filesystem::create_directory(std::filesystem::path(dir.path()) /
                                    kLogs.name(1));  // a directory: skipped
  std::error_code ec;
  EXPECT_EQ(kLogs.list(dir.path(), ec), (std::vector<std::uint64_t>{3, 7, 12}));
  EXPECT_FALSE(ec);
  EXPECT_TRUE(kLogs.list(dir.path() + "/missing", ec).empty());
  EXPECT_TRUE(ec);
}

}  // namespace
}  // namespace lc
