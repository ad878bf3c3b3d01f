#include "inputs/file/multiline_joiner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "file_test_support.hpp"
#include "inputs/file/file_input_metrics.hpp"
#include "metrics/metrics_registry.hpp"

namespace lc::file_input::testing {
namespace {

using namespace std::chrono_literals;
using Clock = MultilineJoiner::Clock;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr TimestampNs kTime = 1'700'000'000'000'000'000;

class MultilineJoinerTest : public ::testing::Test {
 protected:
  static MultilineOptions dated_lines_start_records() {
    MultilineOptions options;
    options.start_pattern = R"(^\d{4}-\d{2}-\d{2} )";
    return options;
  }

  // Pushes lines as a reader would emit them: one offset after another, all read at kTime.
  std::vector<LogRecord> push(MultilineJoiner& joiner, const std::vector<std::string>& lines) {
    std::vector<LogRecord> out;
    for (const std::string& text : lines) {
      LogRecord line;
      line.time = kTime;
      line.index_at_time = next_index_++;
      line.message = text;
      offset_ += text.size() + 1;
      line.file_position = FilePosition{FileIdentity{1, 2}, offset_};
      line.file_fingerprint = 77;
      joiner.push(std::move(line), now_, out);
    }
    return out;
  }

  MetricsRegistry registry_;
  FileInputMetrics metrics_{registry_};
  Clock::time_point now_ = Clock::now();
  std::uint64_t offset_ = 0;
  std::uint32_t next_index_ = 0;
};

const std::vector<std::string> kStackTrace = {
    "2024-05-01 12:00:00 ERROR request failed", "java.lang.IllegalStateException: boom",
    "\tat com.shop.Cart.add(Cart.java:42)",     "\tat com.shop.Api.post(Api.java:7)",
    "Caused by: java.io.IOException: disk",     "\t... 2 more",
};

TEST_F(MultilineJoinerTest, JoinsAStackTraceWithItsMessage) {
  MultilineJoiner joiner(dated_lines_start_records(), &metrics_);
  std::vector<std::string> lines = kStackTrace;
  lines.push_back("2024-05-01 12:00:01 INFO next request");
  const auto records = push(joiner, lines);
  ASSERT_EQ(records.size(), 1u);
  std::string expected;
  for (const std::string& line : kStackTrace) expected += (expected.empty() ? "" : "\n") + line;
  EXPECT_EQ(records[0].message, expected);
  EXPECT_FALSE(records[0].truncated);
  // Its position is after its last line: resuming there does not split the trace.
  std::uint64_t trace_end = 0;
  for (const std::string& line : kStackTrace) trace_end += line.size() + 1;
  EXPECT_EQ(records[0].file_position.offset, trace_end);
  EXPECT_EQ(records[0].file_fingerprint, 77u);
  EXPECT_EQ(records[0].time, kTime);
  EXPECT_EQ(records[0].index_at_time, 0u);
  EXPECT_TRUE(joiner.has_pending());

  std::vector<LogRecord> rest;
  joiner.flush(rest);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].message, "2024-05-01 12:00:01 INFO next request");
  EXPECT_EQ(rest[0].index_at_time, 1u);  // renumbered over the joined records
  EXPECT_EQ(joiner.counters().joined_records, 1u);
  EXPECT_EQ(metrics_.multiline_records.value(), 1u);
}

TEST_F(MultilineJoinerTest, ARecordNeverSpansTwoFiles) {
  MultilineJoiner joiner(dated_lines_start_records(), &metrics_);
  std::vector<LogRecord> out = push(joiner, {kStackTrace[0], kStackTrace[1]});
  EXPECT_THAT(out, IsEmpty());
  EXPECT_EQ(joiner.pending_file(), (FileIdentity{1, 2}));
  // After a rotation: the new file's first line continues nothing of the old file's record,
  // whose position (in the old file) must stay its own.
  LogRecord line;
  line.message = kStackTrace[2];
  line.file_position = FilePosition{FileIdentity{1, 3}, kStackTrace[2].size() + 1};
  joiner.push(std::move(line), now_, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].message, kStackTrace[0] + "\n" + kStackTrace[1]);
  EXPECT_EQ(out[0].file_position.file, (FileIdentity{1, 2}));
  EXPECT_EQ(joiner.pending_file(), (FileIdentity{1, 3}));
}

TEST_F(MultilineJoinerTest, APendingRecordIsFlushedAfterTheQuietTimeout) {
  MultilineOptions options = dated_lines_start_records();
  options.flush_timeout = 1s;
  MultilineJoiner joiner(options);
  EXPECT_FALSE(joiner.deadline().has_value());
  EXPECT_THAT(push(joiner, kStackTrace), IsEmpty());
  ASSERT_TRUE(joiner.deadline().has_value());
  EXPECT_EQ(*joiner.deadline(), now_ + 1s);
  std::vector<LogRecord> out;
  joiner.flush_expired(now_ + 999ms, out);
  EXPECT_THAT(out, IsEmpty());
  joiner.flush_expired(now_ + 1s, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(std::count(out[0].message.begin(), out[0].message.end(), '\n'), 5);
  EXPECT_FALSE(joiner.has_pending());
  EXPECT_FALSE(joiner.deadline().has_value());
}

TEST_F(MultilineJoinerTest, NegatedPatternDescribesContinuationLines) {
  MultilineOptions options;
  options.start_pattern = R"(^[ \t]|^Caused by:|^java\.)";
  options.negate = true;
  MultilineJoiner joiner(options);
  std::vector<std::string> lines = kStackTrace;
  lines.push_back("next");
  const auto records = push(joiner, lines);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(std::count(records[0].message.begin(), records[0].message.end(), '\n'), 5);
}

TEST_F(MultilineJoinerTest, MaxLinesKeepsTheFirstLinesAndFlagsTheRecord) {
  MultilineOptions options = dated_lines_start_records();
  options.max_lines = 3;
  MultilineJoiner joiner(options, &metrics_);
  auto records = push(joiner, kStackTrace);
  joiner.flush(records);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].message, kStackTrace[0] + "\n" + kStackTrace[1] + "\n" + kStackTrace[2]);
  EXPECT_TRUE(records[0].truncated);
  EXPECT_EQ(records[0].file_position.offset, offset_);  // dropped lines are behind it too
  EXPECT_EQ(joiner.counters().truncated_records, 1u);
  EXPECT_EQ(metrics_.multiline_truncated.value(), 1u);
}

TEST_F(MultilineJoinerTest, MaxBytesBoundsTheRecord) {
  MultilineOptions options = dated_lines_start_records();
  options.max_bytes = 50;
  MultilineJoiner joiner(options);
  auto records = push(joiner, kStackTrace);
  joiner.flush(records);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].message.size(), 50u);
  EXPECT_EQ(records[0].message, (kStackTrace[0] + "\n" + kStackTrace[1]).substr(0, 50));
  EXPECT_TRUE(records[0].truncated);
}

TEST_F(MultilineJoinerTest, LinesBeforeTheFirstStartLineFormARecordOfTheirOwn) {
  MultilineJoiner joiner(dated_lines_start_records());
  const auto records = push(joiner, {"\tat orphan.Frame(X.java:1)", "\tat orphan.Frame(X.java:2)",
                                     "2024-05-01 12:00:00 INFO hello"});
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].message, "\tat orphan.Frame(X.java:1)\n\tat orphan.Frame(X.java:2)");
}

TEST_F(MultilineJoinerTest, InvalidPatternIsRefusedWithItsReason) {
  MultilineOptions options;
  options.start_pattern = "([unclosed";
  try {
    MultilineJoiner joiner(options);
    FAIL() << "an invalid pattern was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_THAT(error.what(), HasSubstr("([unclosed"));
  }
  options.start_pattern.clear();
  EXPECT_THROW(MultilineJoiner{options}, std::invalid_argument);
}

}  // namespace
}  // namespace lc::file_input::testing
