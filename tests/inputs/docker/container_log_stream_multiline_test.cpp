// Multi-line joining in the Engine API's follower: groups span reads, a group open when the
// follower stops is read again whole, and a joined record's position is its last line's.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "inputs/docker/container_log_stream.hpp"
#include "inputs/docker/docker_input_harness.hpp"
#include "processors/multiline/multiline_selection.hpp"
#include "support/docker_frames.hpp"

namespace lc::docker_input {
namespace {

using testing::DockerInputHarness;

const std::string kApp(64, 'b');

// 2026-01-01T00:00:00Z plus `ms` milliseconds.
TimestampNs at_ms(std::int64_t ms) { return 1'767'225'600'000'000'000 + ms * 1'000'000; }
std::string line(std::int64_t ms, const std::string& text) {
  return format_rfc3339_nano(at_ms(ms)) + " " + text + "\n";
}

const std::vector<std::string> kTrace = {
    "java.lang.IllegalStateException: boom", "\tat com.shop.Handler.one(Handler.java:1)",
    "\tat com.shop.Handler.two(Handler.java:2)", "\tat com.shop.Handler.three(Handler.java:3)"};
std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& one : lines) text += (text.empty() ? "" : "\n") + one;
  return text;
}
// The trace's lines [from, to), stamped 1 ms apart from `ms`.
std::string trace_lines(std::int64_t ms, std::size_t from, std::size_t to) {
  std::string text;
  for (std::size_t i = from; i < to; ++i)
    text += line(ms + static_cast<std::int64_t>(i), kTrace[i]);
  return text;
}

class ContainerLogStreamMultilineTest : public ::testing::Test, protected DockerInputHarness {
 protected:
  ContainerLogStreamMultilineTest() {
    ContainerMetadata container;
    container.id = kApp;
    container.name = "shop";
    container.tty = true;  // raw lines, no multiplexing frames
    container.running = true;
    container.started_at = "2026-01-01T00:00:00Z";
    container.labels[multiline::kMultilineHint] = "java";
    client_.containers[kApp] = container;
    client_.logs_body[kApp] = line(0, "hello");
  }
  ~ContainerLogStreamMultilineTest() override {
    stop();
    run_until([&] { return tasks_.running() == 0; });
    EXPECT_EQ(tasks_.running(), 0u);  // the reads' and the flush timer's tasks
  }

  void start() {
    ended_.reset();
    stream_ = std::make_shared<ContainerLogStream>(
        io_.get_executor(),
        ContainerLogStream::Dependencies{client_, *pipeline_, tracker_, config_, metrics_, tasks_,
                                         &selection_},
        std::make_shared<const ContainerMetadata>(client_.containers.at(kApp)),
        [this](const std::string&, StreamEnd how) { ended_ = how; });
    stream_->start();
  }
  // As at an agent's shutdown (or kill -9: nothing of an open group was submitted).
  void stop() {
    if (!stream_) return;
    stream_->stop();
    run_until([&] { return ended_.has_value() && tasks_.running() == 0; });
    stream_.reset();
  }
  bool following() {
    return run_until([&] {
      const auto follow = client_.follows.find(kApp);
      return follow != client_.follows.end() && !follow->second->closed &&
             metrics_.streams_active.value() == 1;
    });
  }
  // Lets reads and timers run for a while: a duplicate or an early flush would show by then.
  void settle(std::chrono::milliseconds time = std::chrono::milliseconds(300)) {
    run_until([] { return false; }, time);
  }

  multiline::MultilineSelection selection_{{}, /*container_hints=*/true, registry_};
  TaskCount tasks_;
  std::shared_ptr<ContainerLogStream> stream_;
  std::optional<StreamEnd> ended_;
};

TEST_F(ContainerLogStreamMultilineTest, ATraceSplitBetweenTheHistoryAndTheFollowIsJoinedOnce) {
  client_.logs_body[kApp] += trace_lines(10, 0, 2);
  start();
  ASSERT_TRUE(following());
  ASSERT_TRUE(delivered("hello"));
  client_.append_log(kApp, trace_lines(10, 2, 4) + line(20, "next request"));
  ASSERT_TRUE(delivered("next request"));
  settle();
  EXPECT_EQ(sink_->delivered(),
            (std::vector<std::string>{"hello", joined(kTrace), "next request"}));
}

TEST_F(ContainerLogStreamMultilineTest, AJoinedRecordIsPositionedAtItsLastLine) {
  client_.logs_body[kApp] += trace_lines(10, 0, 4);
  start();
  ASSERT_TRUE(delivered(joined(kTrace)));  // by the flush timer
  ContainerPosition expected;
  expected.advance(LogStream::kStdout, at_ms(13), 0);
  EXPECT_EQ(tracker_.position(kApp), expected);
  // A restart reads none of its lines again.
  stop();
  start();
  ASSERT_TRUE(following());
  settle();
  EXPECT_EQ(sink_->delivered(), (std::vector<std::string>{"hello", joined(kTrace)}));
}

TEST_F(ContainerLogStreamMultilineTest, AGroupOpenAtAStopIsReadAgainWholeAfterTheRestart) {
  client_.logs_body[kApp] += trace_lines(10, 0, 2);
  start();
  ASSERT_TRUE(following());
  ASSERT_TRUE(delivered("hello"));
  settle(std::chrono::milliseconds(100));
  stop();  // the trace is open: nothing of it was submitted
  EXPECT_EQ(sink_->delivered(), std::vector<std::string>{"hello"});
  client_.logs_body[kApp] += trace_lines(10, 2, 4) + line(20, "next request");
  start();
  ASSERT_TRUE(delivered("next request"));
  settle();
  EXPECT_EQ(sink_->delivered(),
            (std::vector<std::string>{"hello", joined(kTrace), "next request"}));
}

TEST_F(ContainerLogStreamMultilineTest, AnOpenGroupIsDeliveredAfterItsFlushTimeout) {
  client_.logs_body[kApp] += trace_lines(10, 0, 4);
  start();
  ASSERT_TRUE(following());
  settle(std::chrono::milliseconds(500));
  EXPECT_EQ(sink_->delivered(), std::vector<std::string>{"hello"});  // flush_timeout is 1 s
  ASSERT_TRUE(delivered(joined(kTrace)));
  // The timer sleeps while nothing is open, and wakes for the next group.
  client_.append_log(kApp, trace_lines(5000, 0, 2));
  ASSERT_TRUE(delivered(joined({kTrace[0], kTrace[1]})));
  EXPECT_EQ(sink_->delivered_count(), 3u);
}

TEST_F(ContainerLogStreamMultilineTest, TheCatchUpReadAtAStopDoesNotRepeatTheOpenTracesLines) {
  start();
  ASSERT_TRUE(following());
  ASSERT_TRUE(delivered("hello"));
  client_.append_log(kApp, trace_lines(10, 0, 2));
  settle(std::chrono::milliseconds(100));
  // The container stops: its follow ends before the trace's last lines reached it, and the read
  // for them starts where the delivered lines end, before the lines the joiner holds.
  client_.containers[kApp].running = false;
  client_.logs_body[kApp] += trace_lines(10, 2, 4);
  client_.follows[kApp]->end();
  ASSERT_TRUE(run_until([&] { return ended_.has_value(); }));
  ASSERT_TRUE(delivered(joined(kTrace)));
  EXPECT_EQ(sink_->delivered(), (std::vector<std::string>{"hello", joined(kTrace)}));
}

// The flush timer cuts a group only while the reads wait on the follow for new lines: a reader
// held back (here, reopens refused for about 3 s) may have the group's next lines still unread.
TEST_F(ContainerLogStreamMultilineTest, ATraceIsNotCutWhileTheReadsAreBehind) {
  config_.stream_retry_initial = std::chrono::milliseconds(300);
  config_.stream_retry_max = std::chrono::milliseconds(300);
  start();
  ASSERT_TRUE(following());
  ASSERT_TRUE(delivered("hello"));
  client_.append_log(kApp, trace_lines(10, 0, 2));
  settle(std::chrono::milliseconds(100));
  client_.logs_failures[kApp] = std::deque<unsigned>(20, 500);  // backoff: 0-300 ms each
  client_.logs_body[kApp] += trace_lines(10, 2, 4) + line(20, "next request");
  client_.follows[kApp]->end();  // as at a dockerd restart
  ASSERT_TRUE(run_until([&] { return sink_->delivered_count() >= 3; }, std::chrono::seconds(15)));
  settle();
  EXPECT_EQ(sink_->delivered(),
            (std::vector<std::string>{"hello", joined(kTrace), "next request"}));
}

TEST_F(ContainerLogStreamMultilineTest, AnExitDeliversTheOpenGroup) {
  client_.containers[kApp].running = false;
  client_.logs_body[kApp] += trace_lines(10, 0, 4);
  start();
  ASSERT_TRUE(run_until([&] { return ended_.has_value(); }));
  EXPECT_EQ(*ended_, StreamEnd::kExited);
  ASSERT_TRUE(delivered(joined(kTrace)));  // submitted before the end (flush_timeout is 1 s)
  EXPECT_EQ(sink_->delivered(), (std::vector<std::string>{"hello", joined(kTrace)}));
}

TEST_F(ContainerLogStreamMultilineTest, WithoutTheHintLinesAreRecordsOfTheirOwn) {
  client_.containers[kApp].labels.clear();
  client_.logs_body[kApp] += trace_lines(10, 0, 2);
  start();
  ASSERT_TRUE(delivered(kTrace[1]));
  EXPECT_EQ(sink_->delivered(), (std::vector<std::string>{"hello", kTrace[0], kTrace[1]}));
}

// A stream with nothing delivered resumes from the other stream's position minus a margin: its
// first trace must be delivered before the other stream's deliveries pass its start by half of
// it, else a restart would read the trace from its middle.
TEST_F(ContainerLogStreamMultilineTest, AnUnseenStreamsFirstTraceIsCutBeforeItCouldFallOutOfReach) {
  client_.containers[kApp].tty = false;
  const auto out = [](std::int64_t ms, const std::string& text) {
    return lc::testing::docker_frame(1, lc::testing::docker_message(at_ms(ms), text + "\n"));
  };
  const auto err = [](std::int64_t ms, const std::string& text) {
    return lc::testing::docker_frame(2, lc::testing::docker_message(at_ms(ms), text + "\n"));
  };
  // stderr's trace goes on, a frame every 500 ms (within flush_timeout), while stdout logs.
  std::string body = err(0, kTrace[0]);
  std::vector<std::string> frames{kTrace[0]};
  for (int i = 1; i <= 8; ++i) {
    body += out(i * 500 - 1, "request " + std::to_string(i));
    body += err(i * 500, kTrace[1]);
    frames.push_back(kTrace[1]);
  }
  client_.logs_body[kApp] = body;
  start();
  ASSERT_TRUE(delivered("request 8"));
  settle();
  // Cut once stdout's line passed 2.5 s after the trace's first line (request 6 at 2999 ms);
  // nothing lost: the frames after the cut are records of their own.
  const std::vector<std::string> delivered = sink_->delivered();
  const std::vector<std::string> first_part(frames.begin(), frames.begin() + 6);
  EXPECT_EQ(std::count(delivered.begin(), delivered.end(), joined(first_part)), 1);
  std::size_t frame_lines = 0;
  for (const std::string& message : delivered) {
    for (std::size_t at = message.find(kTrace[1]); at != std::string::npos;
         at = message.find(kTrace[1], at + 1)) {
      ++frame_lines;
    }
  }
  EXPECT_EQ(frame_lines, 8u);
}

}  // namespace
}  // namespace lc::docker_input
