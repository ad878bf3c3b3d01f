#include "config/yaml_parse_guard.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace lc {
namespace {

std::string corpus_file(const std::string& name) {
  const char* root = std::getenv("LC_SOURCE_DIR");
  std::ifstream in(std::string(root ? root : "../..") + "/fuzz/corpus/config_loader/" + name);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(YamlParseGuard, AnswersForATextTheParserFinishesAndOneItNeverFinishes) {
  start_yaml_parse_guard();
  EXPECT_EQ(check_yaml_parser_finishes("a: {b: 1}\nc: [1, 2]\n"), YamlParseCheck::finishes);
  const std::string hangs = corpus_file("regression_leading_comma_hangs_yaml_cpp");
  ASSERT_FALSE(hangs.empty());
  EXPECT_EQ(check_yaml_parser_finishes(hangs), YamlParseCheck::does_not_finish);
}

// What a reload does: check while other threads allocate. A child forked straight from this
// process hangs now and then on a lock another thread held at the fork (seen under ASan, whose
// allocator has no fork handlers in GCC 12: about 1 check in 100), and the check then reports
// a valid file as one the parser never finishes.
TEST(YamlParseGuard, ChecksMadeWhileOtherThreadsAllocateAreAnsweredRight) {
  start_yaml_parse_guard();
  std::atomic<bool> stop{false};
  std::vector<std::thread> allocators;
  for (int i = 0; i < 2; ++i) {
    allocators.emplace_back([&stop] {
      while (!stop) {
        std::vector<std::string> strings;
        for (int size = 100; size < 4000; size += 37) strings.emplace_back(size, 'x');
      }
    });
  }
  int wrong = 0;
  for (int check = 0; check < 300; ++check) {
    if (check_yaml_parser_finishes("a: {b: 1}\nc: [1, 2]\n") != YamlParseCheck::finishes) ++wrong;
  }
  stop = true;
  for (auto& thread : allocators) thread.join();
  EXPECT_EQ(wrong, 0);
}

}  // namespace
}  // namespace lc
