// The console sink against a pipe standing in for the agent's stdout: what it writes, and a
// console nobody can write to.
#include "sinks/console/console_sink.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "docker/docker_test_support.hpp"
#include "sinks/loki/loki_test_records.hpp"

namespace lc {
namespace {

using testing::make_loki_test_batch;
using testing::make_loki_test_container;

class ConsoleSinkTest : public ::testing::Test {
 protected:
  ConsoleSinkTest() {
    EXPECT_EQ(::pipe2(pipe_, O_CLOEXEC), 0);
    ::fcntl(pipe_[0], F_SETFL, O_NONBLOCK);
  }
  ~ConsoleSinkTest() override {
    for (const int fd : pipe_) {
      if (fd >= 0) ::close(fd);
    }
  }

  SinkWriteOutcome write(ConsoleSink& sink, const std::vector<LogRecord>& batch) {
    return docker::testing::run_bounded(io_, sink.write(batch), std::chrono::seconds(5));
  }
  std::string drain() {
    std::string text;
    char chunk[4096];
    for (ssize_t count; (count = ::read(pipe_[0], chunk, sizeof chunk)) > 0;) {
      text.append(chunk, static_cast<std::size_t>(count));
    }
    return text;
  }
  std::vector<std::string> written_lines(const std::string& drained = {}) {
    const std::string text = drained.empty() ? drain() : drained;
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }

  int pipe_[2] = {-1, -1};
  boost::asio::io_context io_;
  MetricsRegistry registry_;
};

TEST_F(ConsoleSinkTest, NdjsonLinesAreTheRecordsAsTheFileStoreWritesThem) {
  ConsoleSink sink("console", ConsoleSinkOptions{}, pipe_[1], registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 3);
  ASSERT_EQ(write(sink, batch).kind, SinkWriteOutcome::Kind::kDelivered);
  const auto lines = written_lines();
  ASSERT_EQ(lines.size(), 3u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto record = nlohmann::json::parse(lines[i]);
    EXPECT_EQ(record["message"], batch[i].message);
    EXPECT_EQ(record["container_name"], "web");
  }
  EXPECT_THAT(registry_.render(),
              ::testing::HasSubstr("log_capturer_sink_records_written_total{sink=\"console\"} 3"));
}

TEST_F(ConsoleSinkTest, TextIsTheMessageALine) {
  ConsoleSinkOptions options;
  options.encoding = ConsoleSinkOptions::Encoding::kText;
  ConsoleSink sink("console", options, pipe_[1], registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 2);
  ASSERT_EQ(write(sink, batch).kind, SinkWriteOutcome::Kind::kDelivered);
  EXPECT_THAT(written_lines(), ::testing::ElementsAre("web line 0", "web line 1"));
}

TEST_F(ConsoleSinkTest, AFullNonBlockingConsoleIsRetriedFromWhereItStopped) {
  ::fcntl(pipe_[1], F_SETFL, O_NONBLOCK);
  ::fcntl(pipe_[1], F_SETPIPE_SZ, 4096);
  ConsoleSinkOptions options;
  options.encoding = ConsoleSinkOptions::Encoding::kText;
  ConsoleSink sink("console", options, pipe_[1], registry_);
  auto batch = make_loki_test_batch({make_loki_test_container("web")}, 200);
  for (std::size_t i = 0; i < batch.size(); ++i) batch[i].message = std::string(100, 'a' + i % 26);
  SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, SinkWriteOutcome::Kind::kRetry);  // 20 KB into a 4 KiB pipe
  std::string text = drain();                               // the reader empties it
  while (outcome.kind == SinkWriteOutcome::Kind::kRetry) {
    outcome = write(sink, batch);  // the pipeline's retry of the same batch
    text += drain();
  }
  ASSERT_EQ(outcome.kind, SinkWriteOutcome::Kind::kDelivered);
  const std::vector<std::string> lines = written_lines(text);
  // Every line once and whole, although the first write stopped within one.
  ASSERT_EQ(lines.size(), batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) EXPECT_EQ(lines[i], batch[i].message) << i;
}

TEST_F(ConsoleSinkTest, AConsoleNobodyReadsHoldsTheRecords) {
  ::close(pipe_[0]);  // the reading end gone: EPIPE (SIGPIPE is ignored by the agent)
  pipe_[0] = -1;
  const auto previous = ::signal(SIGPIPE, SIG_IGN);
  ConsoleSink sink("console", ConsoleSinkOptions{}, pipe_[1], registry_);
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("web")}, 1));
  ::signal(SIGPIPE, previous);
  EXPECT_EQ(outcome.kind, SinkWriteOutcome::Kind::kHold);
  EXPECT_EQ(outcome.hold_cause, SinkHoldCause::kMisconfiguration);
  EXPECT_THAT(outcome.reason, ::testing::HasSubstr("cannot write to the agent's stdout"));
}

}  // namespace
}  // namespace lc
