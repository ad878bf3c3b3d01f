#include "inputs/docker/container_record_submitter.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <memory>
#include <string>
#include <vector>

#include "inputs/docker/docker_input_harness.hpp"

namespace lc::docker_input {
namespace {

namespace asio = boost::asio;
using testing::DockerInputHarness;

constexpr TimestampNs kSubmitStart = 1'795'412'851'000'000'000;
const std::string kSubmittedId = "c0ffee";

LogRecord record(std::string message, LogStream stream, TimestampNs time,
                 std::uint32_t index_at_time = 0) {
  static const auto container = [] {
    auto metadata = std::make_shared<ContainerMetadata>();
    metadata->id = kSubmittedId;
    return ContainerMetadataPtr(metadata);
  }();
  LogRecord r;
  r.container = container;
  r.message = std::move(message);
  r.stream = stream;
  r.time = time;
  r.index_at_time = index_at_time;
  return r;
}

// Runs one submit on the harness's input thread; `done` turns true when it returns.
void spawn_submit(DockerInputHarness& h, ContainerRecordSubmitter& submitter,
                  ContainerPosition& position, std::vector<LogRecord>& records, bool& done,
                  const std::optional<FileResumePoint>& file = std::nullopt) {
  asio::co_spawn(
      h.io_,
      [&, file]() -> asio::awaitable<void> {
        co_await submitter.submit(kSubmittedId, position, records, file);
        done = true;
      },
      asio::detached);
}

TEST(ContainerRecordSubmitterTest, CountsMovesThePositionAndHandsTheRecordsOn) {
  DockerInputHarness h;
  ContainerRecordSubmitter submitter(*h.pipeline_, h.tracker_, h.metrics_);
  ContainerPosition position;
  std::vector<LogRecord> records;
  records.push_back(record("out 1", LogStream::kStdout, kSubmitStart));
  records.push_back(record("out 2", LogStream::kStdout, kSubmitStart, 1));
  records.push_back(record("err 1", LogStream::kStderr, kSubmitStart + 5));
  LogRecord estimated = record("not json", LogStream::kStdout, kSubmitStart + 99);
  estimated.time_estimated = true;  // a neighbour's time: counted, delivered, never a position
  records.push_back(estimated);
  bool done = false;
  spawn_submit(h, submitter, position, records, done);

  ASSERT_TRUE(h.run_until([&] { return done; }));
  EXPECT_TRUE(records.empty());
  EXPECT_EQ(h.metrics_.lines_stdout.value(), 3u);
  EXPECT_EQ(h.metrics_.lines_stderr.value(), 1u);
  EXPECT_EQ(h.metrics_.bytes.value(), 5u + 5u + 5u + 8u);
  const ContainerPosition expected(StreamPosition::after(kSubmitStart, 1),
                                   StreamPosition::after(kSubmitStart + 5, 0));
  EXPECT_EQ(position, expected);
  EXPECT_EQ(h.tracker_.position(kSubmittedId), expected);  // submitted: where a new reader resumes

  ASSERT_TRUE(h.delivered("not json"));
  EXPECT_EQ(h.sink_->delivered(),
            (std::vector<std::string>{"out 1", "out 2", "err 1", "not json"}));
  ASSERT_TRUE(h.run_until([&] { return h.tracker_.positions().count(kSubmittedId) == 1; }));
  EXPECT_EQ(h.tracker_.positions().at(kSubmittedId), expected);
  EXPECT_FALSE(h.tracker_.has_undelivered(kSubmittedId));
}

TEST(ContainerRecordSubmitterTest, FileModeTellsTheTrackerWhereTheReaderStands) {
  DockerInputHarness h;
  ContainerRecordSubmitter submitter(*h.pipeline_, h.tracker_, h.metrics_);
  ContainerPosition position;
  std::vector<LogRecord> records{record("line", LogStream::kStdout, kSubmitStart)};
  FileResumePoint place;
  place.position = FilePosition{FileIdentity{1, 42}, 123};
  place.fingerprint = 7;
  bool done = false;
  spawn_submit(h, submitter, position, records, done, place);

  ASSERT_TRUE(h.run_until([&] { return done; }));
  const auto submitted = h.tracker_.file_position(kSubmittedId);
  ASSERT_TRUE(submitted.has_value());
  EXPECT_EQ(submitted->position, place.position);
  EXPECT_EQ(submitted->fingerprint, 7u);
}

TEST(ContainerRecordSubmitterTest, AnEmptyBatchChangesNothing) {
  DockerInputHarness h;
  ContainerRecordSubmitter submitter(*h.pipeline_, h.tracker_, h.metrics_);
  ContainerPosition position;
  std::vector<LogRecord> records;
  bool done = false;
  spawn_submit(h, submitter, position, records, done);

  ASSERT_TRUE(h.run_until([&] { return done; }));
  EXPECT_TRUE(position.empty());
  EXPECT_FALSE(h.tracker_.position(kSubmittedId).has_value());
  EXPECT_EQ(h.metrics_.lines_stdout.value() + h.metrics_.lines_stderr.value(), 0u);
  EXPECT_TRUE(h.sink_->calls().empty());
}

// The wait for room is the follower's back-pressure: while the sink holds the pipeline full,
// a second submit does not return, so its follower reads nothing further.
TEST(ContainerRecordSubmitterTest, WaitsForRoomUnderThePipelineBound) {
  DockerInputHarness h([](PipelineConfig& config, lc::testing::FakeSink& sink) {
    config.memory_limit_bytes = 4096;
    sink.close_gate();
  });
  ContainerRecordSubmitter submitter(*h.pipeline_, h.tracker_, h.metrics_);
  ContainerPosition position;
  std::vector<LogRecord> first{record(std::string(5000, 'a'), LogStream::kStdout, kSubmitStart)};
  std::vector<LogRecord> second{record("b", LogStream::kStdout, kSubmitStart + 1)};
  bool first_done = false;
  bool second_done = false;
  spawn_submit(h, submitter, position, first, first_done);
  ASSERT_TRUE(h.run_until([&] { return first_done; }));
  spawn_submit(h, submitter, position, second, second_done);

  // Everything ready to run on the input thread runs: a submit that did not wait would end.
  h.io_.restart();
  while (h.io_.poll() > 0) {
  }
  EXPECT_FALSE(second_done);
  EXPECT_TRUE(h.tracker_.has_undelivered(kSubmittedId));
  h.sink_->open_gate();
  ASSERT_TRUE(h.run_until([&] { return second_done; }));
  ASSERT_TRUE(h.delivered("b"));
}

}  // namespace
}  // namespace lc::docker_input
