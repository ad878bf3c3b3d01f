#include "sinks/file_store/store_file_set.hpp"

#include <gtest/gtest.h>

#include "sinks/file_store/store_file.hpp"
#include "support/temp_directory.hpp"

namespace lc {
namespace {

TEST(StoreFileSet, FileNamesHaveTenDigitSequence) {
  EXPECT_EQ(StoreFileSet::file_name(1), "logs-0000000001.ndjson");
  EXPECT_EQ(StoreFileSet::file_name(1234567890), "logs-1234567890.ndjson");
  EXPECT_EQ(StoreFileSet::file_name(12345678901), "logs-12345678901.ndjson");
  EXPECT_EQ(StoreFileSet::parse_file_name("logs-0000000042.ndjson"), 42u);
  EXPECT_EQ(StoreFileSet::parse_file_name("logs-12345678901.ndjson"), 12345678901u);
  EXPECT_EQ(StoreFileSet::parse_file_name("logs-42.ndjson"), std::nullopt);
  EXPECT_EQ(StoreFileSet::parse_file_name("logs-00000000x2.ndjson"), std::nullopt);
  EXPECT_EQ(StoreFileSet::parse_file_name("logs-0000000042.ndjson.tmp"), std::nullopt);
  EXPECT_EQ(StoreFileSet::parse_file_name("other.txt"), std::nullopt);
}

TEST(StoreFileSet, ListsOnlyStoreFilesInOrder) {
  testing::TempDirectory dir;
  StoreFileSet files(dir.path());
  for (const std::uint64_t seq : {7u, 2u, 10u}) {
    StoreFile file;
    ASSERT_FALSE(file.open(files.path_of(seq)));
  }
  StoreFile stray;
  ASSERT_FALSE(stray.open(dir / "notes.txt"));
  std::error_code ec;
  EXPECT_EQ(files.list(ec), (std::vector<std::uint64_t>{2, 7, 10}));
  EXPECT_FALSE(ec);
  EXPECT_FALSE(files.remove(7));
  EXPECT_FALSE(files.remove(7));  // already gone is fine
  EXPECT_EQ(files.list(ec), (std::vector<std::uint64_t>{2, 10}));
}

TEST(StoreFile, TruncatesTornTailBackToLastNewline) {
  testing::TempDirectory dir;
  StoreFile file;
  ASSERT_FALSE(file.open(dir / "f"));
  std::uint64_t removed = 99;
  ASSERT_FALSE(file.truncate_torn_tail(removed));
  EXPECT_EQ(removed, 0u);  // empty file
  ASSERT_FALSE(file.append("line one\nline two\npartial"));
  ASSERT_FALSE(file.truncate_torn_tail(removed));
  EXPECT_EQ(removed, 7u);
  EXPECT_EQ(testing::read_whole_file(dir / "f"), "line one\nline two\n");
  ASSERT_FALSE(file.truncate_torn_tail(removed));
  EXPECT_EQ(removed, 0u);  // complete: untouched
}

TEST(StoreFile, TornTailLongerThanOneReadBlockAndNoNewlineAtAll) {
  testing::TempDirectory dir;
  StoreFile file;
  ASSERT_FALSE(file.open(dir / "f"));
  ASSERT_FALSE(file.append("first\n" + std::string(10000, 'x')));
  std::uint64_t removed = 0;
  ASSERT_FALSE(file.truncate_torn_tail(removed));
  EXPECT_EQ(removed, 10000u);
  EXPECT_EQ(testing::read_whole_file(dir / "f"), "first\n");

  StoreFile only_torn;
  ASSERT_FALSE(only_torn.open(dir / "g"));
  ASSERT_FALSE(only_torn.append(std::string(5000, 'y')));
  ASSERT_FALSE(only_torn.truncate_torn_tail(removed));
  EXPECT_EQ(removed, 5000u);
  std::uint64_t size = 1;
  ASSERT_FALSE(only_torn.size(size));
  EXPECT_EQ(size, 0u);
}

}  // namespace
}  // namespace lc
