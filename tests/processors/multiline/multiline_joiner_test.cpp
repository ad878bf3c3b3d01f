#include "processors/multiline/multiline_joiner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "metrics/metrics_registry.hpp"

namespace lc::multiline {
namespace {

using namespace std::chrono_literals;
using Clock = MultilineJoiner::Clock;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr TimestampNs kTime = 1'700'000'000'000'000'000;

const std::vector<std::string> kStackTrace = {
    "2024-05-01 12:00:00 ERROR request failed", "java.lang.IllegalStateException: boom",
    "\tat com.shop.Cart.add(Cart.java:42)",     "\tat com.shop.Api.post(Api.java:7)",
    "Caused by: java.io.IOException: disk",     "\t... 2 more",
};

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : "\n") + line;
  return text;
}

std::vector<std::string> messages(const std::vector<LogRecord>& records) {
  std::vector<std::string> out;
  for (const LogRecord& record : records) out.push_back(record.message);
  return out;
}

class MultilineJoinerTest : public ::testing::Test {
 protected:
  static std::shared_ptr<const MultilineRules> rules(RuleChoice choice) {
    return MultilineRules::compile(choice);
  }
  static std::shared_ptr<const MultilineRules> dated_lines_start() {
    RuleChoice choice;
    choice.start = R"(^\d{4}-\d{2}-\d{2} )";
    return rules(choice);
  }

  MultilineJoiner joiner(std::shared_ptr<const MultilineRules> with, JoinLimits limits = {}) {
    limits.renumber = true;
    return MultilineJoiner(std::move(with), limits,
                           JoinCounters{&lines_in_, &records_out_, &joined_, &truncated_});
  }

  // Pushes lines as a reader would: one offset after another, `step` apart in source time.
  std::vector<LogRecord> push(MultilineJoiner& joiner, const std::vector<std::string>& lines,
                              TimestampNs step = 0) {
    std::vector<LogRecord> out;
    for (const std::string& text : lines) {
      LogRecord line;
      line.time = time_;
      time_ += step;
      line.message = text;
      line.valid_utf8 = true;
      offset_ += text.size() + 1;
      line.file_position = FilePosition{file_, offset_};
      line.file_fingerprint = 77;
      joiner.push(std::move(line), now_, out);
    }
    return out;
  }

  MetricsRegistry registry_;
  Counter& lines_in_ = registry_.counter("lines_in", "");
  Counter& records_out_ = registry_.counter("records_out", "");
  Counter& joined_ = registry_.counter("joined", "");
  Counter& truncated_ = registry_.counter("truncated", "");
  Clock::time_point now_ = Clock::now();
  TimestampNs time_ = kTime;
  FileIdentity file_{1, 2};
  std::uint64_t offset_ = 0;
};

TEST_F(MultilineJoinerTest, AStartPatternJoinsAStackTraceWithItsMessage) {
  auto join = joiner(dated_lines_start());
  std::vector<std::string> lines = kStackTrace;
  lines.push_back("2024-05-01 12:00:01 INFO next request");
  const auto records = push(join, lines, 1000);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].message, joined(kStackTrace));
  EXPECT_FALSE(records[0].truncated);
  EXPECT_TRUE(records[0].valid_utf8);
  // Its position is after its last line: resuming there does not split the trace.
  std::uint64_t trace_end = 0;
  for (const std::string& line : kStackTrace) trace_end += line.size() + 1;
  EXPECT_EQ(records[0].file_position.offset, trace_end);
  EXPECT_EQ(records[0].file_fingerprint, 77u);
  EXPECT_EQ(records[0].time, kTime);  // its first line's
  EXPECT_EQ(records[0].index_at_time, 0u);
  ASSERT_TRUE(join.has_pending());

  std::vector<LogRecord> rest;
  join.flush(rest);
  EXPECT_THAT(messages(rest), ElementsAre("2024-05-01 12:00:01 INFO next request"));
  EXPECT_EQ(lines_in_.value(), 7u);
  EXPECT_EQ(records_out_.value(), 2u);
  EXPECT_EQ(joined_.value(), 1u);
}

TEST_F(MultilineJoinerTest, LinesWithTheSameTimeAreRenumberedOverTheRecords) {
  auto join = joiner(dated_lines_start());
  auto records = push(join, {"2024-05-01 a", "  more", "2024-05-01 b", "2024-05-01 c"});
  join.flush(records);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].index_at_time, 0u);
  EXPECT_EQ(records[1].index_at_time, 1u);
  EXPECT_EQ(records[2].index_at_time, 2u);
}

TEST_F(MultilineJoinerTest, AContinuePatternJoinsWhatFollowsAnyLine) {
  RuleChoice choice;
  choice.continue_pattern = R"(^[ \t]|^Caused by:)";
  auto join = joiner(rules(choice));
  auto records = push(join, kStackTrace);
  join.flush(records);
  // The message line and the exception line are records of their own; the frames follow the
  // exception line.
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].message, kStackTrace[0]);
  EXPECT_EQ(records[1].message, joined({kStackTrace.begin() + 1, kStackTrace.end()}));
}

TEST_F(MultilineJoinerTest, StartAndContinueTogetherLeaveOtherLinesAlone) {
  RuleChoice choice;
  choice.start = R"(Exception:)";
  choice.continue_pattern = R"(^\tat )";
  auto join = joiner(rules(choice));
  // A line that neither opens nor continues is delivered at once: nothing waits for a timer.
  auto records = push(join, {"plain", "java.lang.X Exception: y", "\tat a", "after"});
  EXPECT_THAT(messages(records), ElementsAre("plain", "java.lang.X Exception: y\n\tat a", "after"));
  EXPECT_FALSE(join.has_pending());
}

TEST_F(MultilineJoinerTest, ARecordNeverSpansTwoFilesWhenAskedSo) {
  JoinLimits limits;
  limits.split_at_file_change = true;
  auto join = joiner(dated_lines_start(), limits);
  std::vector<LogRecord> out = push(join, {kStackTrace[0], kStackTrace[1]});
  EXPECT_THAT(out, IsEmpty());
  file_ = FileIdentity{1, 3};  // rotated: the new file's first line continues nothing
  out = push(join, {kStackTrace[2], "2024-05-02 next"});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].message, kStackTrace[0] + "\n" + kStackTrace[1]);
  EXPECT_EQ(out[0].file_position.file, (FileIdentity{1, 2}));
  EXPECT_EQ(out[1].message, kStackTrace[2]);
  ASSERT_NE(join.pending(), nullptr);
  EXPECT_EQ(join.pending()->file_position.file, (FileIdentity{1, 3}));
}

TEST_F(MultilineJoinerTest, AnOpenRecordIsFlushedAfterTheQuietTimeout) {
  JoinLimits limits;
  limits.flush_timeout = 1s;
  auto join = joiner(dated_lines_start(), limits);
  EXPECT_FALSE(join.deadline().has_value());
  EXPECT_THAT(push(join, kStackTrace), IsEmpty());
  ASSERT_TRUE(join.deadline().has_value());
  EXPECT_EQ(*join.deadline(), now_ + 1s);
  std::vector<LogRecord> out;
  join.flush_expired(now_ + 999ms, out);
  EXPECT_THAT(out, IsEmpty());
  join.flush_expired(now_ + 1s, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].message, joined(kStackTrace));
  EXPECT_FALSE(join.deadline().has_value());
}

TEST_F(MultilineJoinerTest, ALineLaterThanTheTimeoutInSourceTimeOpensANewRecord) {
  // The same split as the timer would have made, whenever the lines are read (a re-read after
  // a restart reads them all at once).
  JoinLimits limits;
  limits.flush_timeout = 1s;
  limits.split_on_time_gap = true;
  auto join = joiner(dated_lines_start(), limits);
  auto records = push(join, {"2024-05-01 a", "  one"});
  time_ += 2'000'000'000;
  // A line cut off by the pause continues nothing: it opens from the start state, as it
  // would in a re-read that begins at it.
  auto more = push(join, {"  late", "2024-05-01 b"});
  EXPECT_THAT(messages(more), ElementsAre("2024-05-01 a\n  one", "  late"));
}

TEST_F(MultilineJoinerTest, MaxLinesDeliversTheRecordCutAndDropsNothing) {
  JoinLimits limits;
  limits.max_lines = 3;
  auto join = joiner(dated_lines_start(), limits);
  auto records = push(join, kStackTrace);
  join.flush(records);
  // The lines past the cap continue nothing: read as if no record were open (the next trace
  // line opens one, the next frames are records of their own), as a re-read from them would.
  EXPECT_THAT(messages(records),
              ElementsAre(joined({kStackTrace[0], kStackTrace[1], kStackTrace[2]}), kStackTrace[3],
                          kStackTrace[4], kStackTrace[5]));
  EXPECT_TRUE(records[0].truncated);
  EXPECT_FALSE(records[1].truncated);
  EXPECT_EQ(truncated_.value(), 1u);
}

TEST_F(MultilineJoinerTest, MaxBytesBoundsTheRecordAndCutsALongerLine) {
  JoinLimits limits;
  limits.max_bytes = 50;
  auto join = joiner(dated_lines_start(), limits);
  auto records = push(join, {kStackTrace[0], kStackTrace[1], "2024-05-01 " + std::string(80, 'x')});
  join.flush(records);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].message, kStackTrace[0]);  // the next line would not fit
  EXPECT_TRUE(records[0].truncated);
  EXPECT_EQ(records[1].message, kStackTrace[1]);  // continues nothing now: a record of its own
  EXPECT_FALSE(records[1].truncated);
  EXPECT_EQ(records[2].message, ("2024-05-01 " + std::string(80, 'x')).substr(0, 50));
  EXPECT_TRUE(records[2].truncated);
  EXPECT_FALSE(records[2].valid_utf8);
  EXPECT_EQ(truncated_.value(), 2u);
}

TEST_F(MultilineJoinerTest, LinesBeforeTheFirstStartLineAreRecordsOfTheirOwn) {
  auto join = joiner(dated_lines_start());
  const auto records = push(join, {"\tat orphan.Frame(X.java:1)", "\tat orphan.Frame(X.java:2)",
                                   "2024-05-01 12:00:00 INFO hello"});
  EXPECT_THAT(messages(records),
              ElementsAre("\tat orphan.Frame(X.java:1)", "\tat orphan.Frame(X.java:2)"));
}

TEST_F(MultilineJoinerTest, ARuleThatClosesTheRecordDeliversItAtOnce) {
  RuleChoice choice;
  choice.presets = {"python"};
  auto join = joiner(rules(choice));
  const auto records =
      push(join, {"Traceback (most recent call last):", "  File \"app.py\", line 3, in <module>",
                  "    main()", "ValueError: bad"});
  EXPECT_THAT(messages(records), ElementsAre("Traceback (most recent call last):\n  File "
                                             "\"app.py\", line 3, in <module>\n    main()\n"
                                             "ValueError: bad"));
  EXPECT_FALSE(join.has_pending());
}

}  // namespace
}  // namespace lc::multiline
