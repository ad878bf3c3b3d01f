#include "inputs/docker/container_log_stream.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "core/timestamp.hpp"
#include "inputs/docker/container_log_decoder.hpp"
#include "inputs/docker/docker_input_harness.hpp"

namespace lc::docker_input {
namespace {

using namespace std::chrono_literals;
using testing::DockerInputHarness;

const std::string kWebId(64, 'a');

// 2026-01-01T00:00:00.00000000<n>Z
TimestampNs stamp(int n) { return 1'767'225'600'000'000'000 + n; }
std::string stamp_text(int n) { return format_rfc3339_nano(stamp(n)); }
std::string line_at(TimestampNs time, const std::string& text) {
  return format_rfc3339_nano(time) + " " + text + "\n";
}
std::string line(int n, const std::string& text) { return line_at(stamp(n), text); }

class ContainerLogStreamTest : public ::testing::Test, protected DockerInputHarness {
 protected:
  explicit ContainerLogStreamTest(
      const std::function<void(PipelineConfig&, lc::testing::FakeSink&)>& before_start = {})
      : DockerInputHarness(before_start) {
    ContainerMetadata container;
    container.id = kWebId;
    container.name = "web";
    container.tty = true;  // raw lines, no multiplexing frames
    container.running = true;
    container.started_at = "2026-01-01T00:00:00Z";
    client_.containers[kWebId] = container;
    client_.logs_body[kWebId] = line(1, "hello");
  }
  ~ContainerLogStreamTest() override {
    if (stream_) {
      stream_->stop();
      run_until([&] { return ended_.has_value(); });
      stream_.reset();
    }
    run_until([&] { return tasks_.running() == 0; });
    EXPECT_EQ(tasks_.running(), 0u);  // the follower's task is counted until it ends
  }

  void start() {
    stream_ = std::make_shared<ContainerLogStream>(
        io_.get_executor(),
        ContainerLogStream::Dependencies{client_, *pipeline_, tracker_, config_, metrics_, tasks_},
        std::make_shared<const ContainerMetadata>(client_.containers.at(kWebId)),
        [this](const std::string&, StreamEnd how) { ended_ = how; });
    stream_->start();
  }

  // The follow stream is open, and the plain read opened after it is done.
  bool following() {
    return run_until([&] {
      const auto follow = client_.follows.find(kWebId);
      const auto& queries = client_.logs_queries[kWebId];
      return follow != client_.follows.end() && !follow->second->closed && !queries.empty() &&
             !queries.back().follow && metrics_.streams_active.value() == 1;
    });
  }

  TaskCount tasks_;
  std::shared_ptr<ContainerLogStream> stream_;
  std::optional<StreamEnd> ended_;
};

TEST_F(ContainerLogStreamTest, TransientErrorsOnLogsAreRetriedNotTakenAsUnsupported) {
  client_.logs_failures[kWebId] = {500, 409, 503};
  start();
  ASSERT_TRUE(delivered("hello"));
  ASSERT_TRUE(following());
  EXPECT_FALSE(ended_.has_value());
  EXPECT_EQ(client_.logs_opens[kWebId], 5);  // 3 refused, the follow, the plain read
  EXPECT_EQ(metrics_.stream_errors.value(), 3u);
}

TEST_F(ContainerLogStreamTest, ATransientErrorOnTheCatchUpReadIsRetried) {
  start();
  ASSERT_TRUE(delivered("hello"));
  ASSERT_TRUE(following());
  // The container stops: its follow stream ends before its last line reached it, and the
  // read for its last lines fails once.
  client_.logs_failures[kWebId] = {500};
  client_.containers[kWebId].running = false;
  client_.logs_body[kWebId] += line(2, "bye");
  client_.follows[kWebId]->end();
  ASSERT_TRUE(delivered("bye"));
  ASSERT_TRUE(run_until([&] { return ended_.has_value(); }));
  EXPECT_EQ(*ended_, StreamEnd::kExited);
  EXPECT_EQ(metrics_.stream_errors.value(), 1u);
  EXPECT_EQ(sink_->delivered().size(), 2u);
}

// dockerd's follow stream reads old lines before it watches for rotations, and loses a whole
// file when one rotates meanwhile: the follow starts at the log's end (tail=0), and the
// history comes from a plain read, opened after it.
TEST_F(ContainerLogStreamTest, TheFollowStartsAtTheEndAndAPlainReadBringsTheHistory) {
  client_.logs_body[kWebId] += line(2, "two") + line(3, "three");
  start();
  ASSERT_TRUE(following());
  client_.append_log(kWebId, line(4, "four"));
  ASSERT_TRUE(delivered("four"));
  const std::vector<docker::LogsQuery>& queries = client_.logs_queries[kWebId];
  ASSERT_EQ(queries.size(), 2u);
  EXPECT_TRUE(queries[0].follow);
  EXPECT_EQ(queries[0].tail, 0u);
  EXPECT_FALSE(queries[1].follow);
  EXPECT_EQ(queries[1].since, 0);
  EXPECT_FALSE(queries[1].tail);
  EXPECT_EQ(sink_->delivered(), (std::vector<std::string>{"hello", "two", "three", "four"}));
  EXPECT_EQ(metrics_.history_gaps.value(), 0u);
}

TEST_F(ContainerLogStreamTest, WhatTheFollowAndThePlainReadBothCarryIsDeliveredOnce) {
  // The container writes between the follow's opening and the plain read's: both carry it.
  client_.on_open_logs = [&](const std::string& id, const docker::LogsQuery& query) {
    if (!query.follow) client_.append_log(id, line(2, "two") + line(3, "three"));
  };
  start();
  ASSERT_TRUE(following());
  client_.on_open_logs = nullptr;
  client_.append_log(kWebId, line(4, "four"));
  ASSERT_TRUE(delivered("four"));
  EXPECT_EQ(sink_->delivered(), (std::vector<std::string>{"hello", "two", "three", "four"}));
  EXPECT_EQ(metrics_.skipped_records.value(), 2u);  // "two" and "three", from the follow
}

TEST_F(ContainerLogStreamTest, APlainReadEndingInsideAPiecedLineIsReadAgainWhole) {
  const std::string head(ContainerLogDecoder::kDockerPieceBytes, 'x');
  client_.logs_body[kWebId] += stamp_text(2) + " " + head;  // the line's first 16 KiB piece
  start();
  ASSERT_TRUE(run_until([&] { return client_.logs_opens[kWebId] >= 4; }));  // read again
  EXPECT_EQ(sink_->delivered(), std::vector<std::string>{"hello"});
  client_.logs_body[kWebId] += stamp_text(2) + " tail\n";
  ASSERT_TRUE(delivered(head + "tail"));
  ASSERT_TRUE(following());
  client_.append_log(kWebId, line(3, "next"));
  ASSERT_TRUE(delivered("next"));
  EXPECT_EQ(sink_->delivered(), (std::vector<std::string>{"hello", head + "tail", "next"}));
}

TEST_F(ContainerLogStreamTest, AShortFinalLineWithoutNewlineIsDeliveredNotReadAgain) {
  // dockerd writes a piece without newline shorter than 16 KiB only when the output ended:
  // the line is complete.
  client_.logs_body[kWebId] += stamp_text(2) + " done";
  start();
  ASSERT_TRUE(delivered("done"));
  ASSERT_TRUE(following());
  EXPECT_EQ(client_.logs_opens[kWebId], 2);
}

TEST_F(ContainerLogStreamTest, ALinesPiecesHeldAtARemovalAreItsLastWords) {
  const std::string head(ContainerLogDecoder::kDockerPieceBytes, 'x');
  client_.logs_body[kWebId] += stamp_text(2) + " " + head;
  start();
  ASSERT_TRUE(run_until([&] { return client_.logs_opens[kWebId] >= 2; }));
  client_.containers.erase(kWebId);  // docker run --rm: gone before the line was finished
  ASSERT_TRUE(run_until([&] { return ended_.has_value(); }));
  EXPECT_EQ(*ended_, StreamEnd::kGone);
  ASSERT_TRUE(delivered(head));
  EXPECT_EQ(sink_->delivered().size(), 2u);
}

TEST_F(ContainerLogStreamTest, TheFollowDropsReSentLinesFromBeforeItsStart) {
  client_.logs_body[kWebId] += line(2, "two");
  start();
  ASSERT_TRUE(following());
  // A rotation's re-sent block reaching back before the follow's start, then a new line.
  client_.follows[kWebId]->push(line(3, "three") + line(1, "hello") + line(2, "two"));
  client_.append_log(kWebId, line(4, "four"));
  ASSERT_TRUE(delivered("four"));
  EXPECT_EQ(sink_->delivered(), (std::vector<std::string>{"hello", "two", "three", "four"}));
}

TEST_F(ContainerLogStreamTest, AResumeWhoseLastDeliveredLineIsGoneCountsAHistoryGap) {
  ContainerPosition delivered_up_to;
  delivered_up_to.advance(LogStream::kStdout, stamp(1), 0);  // "hello", rotated away since
  tracker_.restore({{kWebId, delivered_up_to}});
  client_.logs_body[kWebId] = line(5, "after a gap");
  start();
  ASSERT_TRUE(delivered("after a gap"));
  ASSERT_TRUE(following());
  EXPECT_EQ(metrics_.history_gaps.value(), 1u);  // the first read; the gap read found "after"
}

TEST_F(ContainerLogStreamTest, AResumeThatFindsItsLastDeliveredLineCountsNoGap) {
  ContainerPosition delivered_up_to;
  delivered_up_to.advance(LogStream::kStdout, stamp(1), 0);
  tracker_.restore({{kWebId, delivered_up_to}});
  client_.logs_body[kWebId] += line(5, "new");
  start();
  ASSERT_TRUE(delivered("new"));
  ASSERT_TRUE(following());
  EXPECT_EQ(metrics_.history_gaps.value(), 0u);
  EXPECT_EQ(sink_->delivered(), std::vector<std::string>{"new"});
}

TEST_F(ContainerLogStreamTest, ADriverThatCannotBeReadEndsTheFollower) {
  client_.logs_failures[kWebId] = {501};
  start();
  ASSERT_TRUE(run_until([&] { return ended_.has_value(); }));
  EXPECT_EQ(*ended_, StreamEnd::kUnsupported);
}

// A follow stream the agent stops reading while the log rotates is skipped past whole files by
// dockerd: one held unread longer than kFollowStallLimit is closed, and plain reads take over.
class ContainerLogStreamStallTest : public ContainerLogStreamTest {
 protected:
  ContainerLogStreamStallTest()
      : ContainerLogStreamTest([](PipelineConfig& pipeline, lc::testing::FakeSink& sink) {
          pipeline.memory_limit_bytes = 4096;
          pipeline.batch_max_bytes = 1024;
          sink.close_gate();
        }) {}
};

TEST_F(ContainerLogStreamStallTest, AFollowHeldUnreadByTheSinksIsClosedAndReadOnWithPlainReads) {
  start();
  ASSERT_TRUE(following());
  std::vector<std::string> expected{"hello"};
  std::string written;
  for (int i = 2; i <= 200; ++i) {
    written += line(i, "line " + std::to_string(i) + std::string(50, '.'));
    expected.push_back("line " + std::to_string(i) + std::string(50, '.'));
  }
  client_.append_log(kWebId, written);
  // The sink holds everything: the stream waits in submit, its follow stream unread.
  run_until([] { return false; }, std::chrono::milliseconds(700));
  EXPECT_EQ(metrics_.follows_stalled.value(), 0u);
  sink_->open_gate();
  ASSERT_TRUE(run_until([&] { return sink_->delivered().size() == expected.size(); }));
  ASSERT_TRUE(run_until([&] { return metrics_.follows_stalled.value() == 1; }));
  ASSERT_TRUE(following());
  client_.append_log(kWebId, line(300, "after"));
  expected.push_back("after");
  ASSERT_TRUE(delivered("after"));
  EXPECT_EQ(sink_->delivered(), expected);
}

}  // namespace
}  // namespace lc::docker_input
