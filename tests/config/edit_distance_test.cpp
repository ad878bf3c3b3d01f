#include "config/edit_distance.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace lc {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("abc", "abc"), 0u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("abc", ""), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("pipelne", "pipeline"), 1u);
  EXPECT_EQ(edit_distance("max_file", "max_files"), 1u);
  EXPECT_EQ(edit_distance("lsiten", "listen"), 2u);
}

TEST(EditDistance, ClosestMatchWithinTwoEdits) {
  const std::vector<std::string> keys{"listen", "metrics_listen", "enabled"};
  EXPECT_EQ(closest_match("lisen", keys), "listen");
  EXPECT_EQ(closest_match("enabeld", keys), "enabled");
  EXPECT_EQ(closest_match("metrics_listn", keys), "metrics_listen");
  EXPECT_FALSE(closest_match("port", keys).has_value());
  EXPECT_FALSE(closest_match("lis", keys).has_value());  // three edits away
  EXPECT_FALSE(closest_match("x", std::vector<std::string>{}).has_value());
}

TEST(EditDistance, ClosestMatchPrefersNearest) {
  const std::vector<std::string> keys{"max_files", "max_file_bytes"};
  EXPECT_EQ(closest_match("max_file", keys), "max_files");
  EXPECT_EQ(closest_match("max_file_byte", keys), "max_file_bytes");
}

}  // namespace
}  // namespace lc
