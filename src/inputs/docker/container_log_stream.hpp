#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/container_metadata.hpp"
#include "core/container_position.hpp"
#include "core/log_record.hpp"
#include "core/task_count.hpp"
#include "inputs/docker/container_follower.hpp"
#include "inputs/docker/container_record_submitter.hpp"
#include "inputs/docker/docker_input_options.hpp"
#include "processors/multiline/container_stream_joiners.hpp"

namespace lc {
class CheckpointTracker;
class Pipeline;
namespace docker {
class DockerClient;
class DockerStream;
struct DockerApiError;
struct LogsQuery;
}  // namespace docker
namespace multiline {
class MultilineSelection;
}
}  // namespace lc

namespace lc::docker_input {

class ContainerLogDecoder;
struct DockerInputMetrics;

// Follows one container's log through the Engine API, from its checkpoint to its end:
// reopens a stream that drops while the container runs, and after the container stops
// reads what the follow stream may have missed (its final lines). dockerd's follow stream
// loses whole json-files when the log rotates while it reads old lines (its own catch-up, or
// a reader left behind), so the follow starts at the log's end, the history comes from plain
// reads (dockerd opens every file at once for them), and a follow left unread is closed.
// Owns at most two connections (a follow and a plain read), closed on every path.
//
// Multi-line groups (stack traces) are joined here, across reads, per stream. A joined record
// takes its last line's time as its position, so a group still open at a kill -9 is read again
// whole after the restart; a second task delivers groups whose flush_timeout passed while the
// reads wait.
class ContainerLogStream : public ContainerFollower,
                           public std::enable_shared_from_this<ContainerLogStream> {
 public:
  struct Dependencies {
    docker::DockerClient& client;
    Pipeline& pipeline;
    CheckpointTracker& tracker;
    const DockerInputConfig& config;
    DockerInputMetrics& metrics;
    TaskCount& tasks;  // the input's: counts this follower's tasks
    const multiline::MultilineSelection* multiline = nullptr;  // null: a record per line
  };
  ContainerLogStream(boost::asio::any_io_executor executor, Dependencies deps,
                     ContainerMetadataPtr container, FinishedCallback on_finished);
  ~ContainerLogStream() override;

  void start() override;
  // Closes the connection too.
  void stop() override;
  void notify_started() override { started_again_ = true; }
  // Nothing to do: the follow stream ends by itself, then the log is read to its end.
  void notify_stopped() override {}
  void retire_when_done() override { retire_ = true; }
  void update_metadata(ContainerMetadataPtr container) override {
    container_ = std::move(container);
  }
  const ContainerMetadataPtr& metadata() const override { return container_; }
  const ContainerPosition& position() const override { return position_; }
  const char* mode() const override { return "api"; }

 private:
  struct PlainRead {
    bool line_open = false;                      // ended inside a line being written in pieces
    std::chrono::steady_clock::duration held{};  // waiting for pipeline room meanwhile
  };
  struct Consumed {
    std::chrono::steady_clock::duration held{};  // waiting for pipeline room
    bool stalled = false;  // a follow left unread too long while dockerd had more for it
  };
  class DecoderAccount;

  boost::asio::awaitable<void> run();
  boost::asio::awaitable<StreamEnd> follow_until_end();
  // A running container: opens a follow stream at the log's end, reads the history with a
  // plain read, then follows until dockerd ends the stream; a follow the sinks held unread
  // too long is replaced the same way.
  boost::asio::awaitable<void> catch_up_and_follow();
  // One read to the log's current end from the position. A running container's line still
  // being written in pieces is left for a later read (held_final_ meanwhile); otherwise the
  // final line, even without newline, is submitted.
  boost::asio::awaitable<PlainRead> read_plain(bool running);
  // Reads the open follow stream until dockerd ends it (false) or it stalled (true).
  // `delivered`: what was delivered when it started; records it covers are dropped.
  boost::asio::awaitable<bool> read_follow(const ContainerPosition& delivered);
  // Submits what the stream carries until it ends or, for a follow, until the sinks held it
  // unread, with more waiting, longer than kFollowStallLimit.
  boost::asio::awaitable<Consumed> consume(docker::DockerStream& stream,
                                           ContainerLogDecoder& decoder, DecoderAccount& account,
                                           bool follow);
  docker::LogsQuery query_from_position(bool follow) const;
  // Hands decoded lines on (through the joiners, if any) and submits what is complete.
  boost::asio::awaitable<void> submit(std::vector<LogRecord>& lines);
  void hand_on(std::vector<LogRecord>& lines);
  // A stream with nothing delivered resumes from the other stream's position minus
  // kUnseenStreamMargin: its first group must not stay open while the other stream's
  // deliveries pass that far beyond its first line.
  void close_unseen_stream_group(LogStream stream, TimestampNs time);
  // Submits the outbox in order; one task at a time (the reads and the flush timer share it).
  boost::asio::awaitable<void> drain();
  // The flush timer's task: delivers groups left open for their flush_timeout.
  boost::asio::awaitable<void> flush_idle_groups();
  // The container exited or is gone: its open groups are complete.
  boost::asio::awaitable<void> deliver_open_groups();
  boost::asio::awaitable<void> pause(std::chrono::microseconds delay);
  // A /logs request the engine refused for a reason that may pass: counted, logged, retried.
  void count_refusal(const char* what, const docker::DockerApiError& error);

  boost::asio::any_io_executor executor_;
  Dependencies deps_;
  ContainerMetadataPtr container_;
  FinishedCallback on_finished_;
  ContainerRecordSubmitter submitter_;
  ContainerPosition position_;        // just after the last record submitted
  ContainerPosition read_;            // just after the last line handed on (joined or not)
  ContainerPosition gap_counted_at_;  // the resume position a history gap was counted for
  TimestampNs start_since_ = 0;       // inputs.docker.start_at: now: nothing earlier is read
  std::unique_ptr<docker::DockerStream> follow_stream_;
  std::unique_ptr<docker::DockerStream> plain_stream_;
  std::vector<LogRecord> held_final_;  // a follow stream's unterminated last piece
  boost::asio::steady_timer pause_timer_;
  multiline::ContainerStreamJoiners joiners_;
  std::vector<LogRecord> outbox_;      // complete records, in order, not submitted yet
  bool draining_ = false;              // a task is submitting the outbox
  boost::asio::steady_timer drained_;  // never expires: cancelled when a drain ends
  boost::asio::steady_timer flush_timer_;
  bool finished_ = false;         // run() is over: the flush timer's task ends too
  bool awaiting_follow_ = false;  // the reads wait on the follow stream: caught up
  bool stopping_ = false;
  bool started_again_ = false;
  bool retire_ = false;
};

}  // namespace lc::docker_input
