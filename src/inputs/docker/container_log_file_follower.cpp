#include "inputs/docker/container_log_file_follower.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>

#include "docker/docker_client.hpp"
#include "inputs/docker/docker_input_metrics.hpp"
#include "inputs/json_file/container_log_file_reader.hpp"
#include "inputs/json_file/json_file_input_metrics.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/delivery_receipt.hpp"
#include "pipeline/pipeline.hpp"
#include "processors/multiline/multiline_selection.hpp"

namespace lc::docker_input {

namespace asio = boost::asio;

namespace {

// One read consumes at most this much of the file before the records go to the pipeline and
// other containers get their turn: bounds both the batch in memory and the time one busy
// container holds the input thread.
constexpr std::size_t kReadBudgetBytes = 256 * 1024;
// inotify tells of every write; this is only a safety net against a lost notification.
constexpr auto kIdleRecheck = std::chrono::seconds(10);

}  // namespace

ContainerLogFileFollower::ContainerLogFileFollower(asio::any_io_executor executor,
                                                   Dependencies deps,
                                                   ContainerMetadataPtr container,
                                                   std::string log_path,
                                                   FinishedCallback on_finished)
    : executor_(executor),
      deps_(deps),
      container_(std::move(container)),
      log_path_(std::move(log_path)),
      on_finished_(std::move(on_finished)),
      submitter_(deps.pipeline, deps.tracker, deps.metrics),
      wake_timer_(executor),
      stopped_(!container_->running) {
  deps_.metrics.containers_followed.add(1);
  deps_.metrics.containers_from_files.add(1);
}

ContainerLogFileFollower::~ContainerLogFileFollower() {
  deps_.metrics.containers_followed.sub(1);
  deps_.metrics.containers_from_files.sub(1);
}

void ContainerLogFileFollower::start() {
  asio::co_spawn(
      executor_, [self = shared_from_this()] { return self->run(); }, deps_.tasks.track());
}

void ContainerLogFileFollower::stop() {
  stopping_ = true;
  wake();
}

void ContainerLogFileFollower::notify_started() {
  stopped_ = false;
  wake();
}

void ContainerLogFileFollower::notify_stopped() {
  stopped_ = true;
  wake();
}

void ContainerLogFileFollower::retire_when_done() {
  retire_ = true;
  stopped_ = true;  // a removed container writes nothing more
  wake();
}

void ContainerLogFileFollower::update_metadata(ContainerMetadataPtr container) {
  container_ = std::move(container);
  if (reader_) reader_->set_container(container_);
}

void ContainerLogFileFollower::wake() {
  changed_ = true;
  wake_timer_.cancel();
}

asio::awaitable<void> ContainerLogFileFollower::wait_for_change(
    std::optional<std::chrono::steady_clock::time_point> until) {
  const auto idle = std::chrono::steady_clock::now() + kIdleRecheck;
  wake_timer_.expires_at(until ? std::min(*until, idle) : idle);
  boost::system::error_code ignored;
  co_await wake_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  changed_ = true;
}

asio::awaitable<void> ContainerLogFileFollower::run() {
  StreamEnd how = StreamEnd::kStopped;
  try {
    how = co_await follow();
  } catch (const std::exception& e) {
    if (!stopping_) {
      spdlog::error("docker: container {}: json-file follower failed: {}",
                    short_container_id(container_->id), e.what());
    }
  }
  subscription_.reset();
  if (reader_ && !reader_->opened_once() && (retire_ || how == StreamEnd::kGone)) {
    deps_.file_metrics.logs_missed.inc();
    spdlog::warn(
        "docker: container {} ({}) was removed before its json-file log could be opened "
        "(over inputs.docker.max_pinned_files open logs): its lines are lost",
        container_->name, short_container_id(container_->id));
  }
  reader_.reset();  // closes its file before the discovery hears of the end
  if (retire_ || how == StreamEnd::kGone) deps_.tracker.retire(container_->id);
  on_finished_(container_->id, how);
}

asio::awaitable<StreamEnd> ContainerLogFileFollower::follow() {
  const std::string& id = container_->id;
  const std::optional<FileResumePoint> file_point = deps_.tracker.file_position(id);
  json_file::ContainerLogFileReaderOptions options;
  options.max_line_bytes = deps_.config.max_line_bytes;
  if (const auto delivered = deps_.tracker.position(id)) {
    position_ = *delivered;
    // The byte place decides what is delivered. Only a place taken apart from the position
    // (records read through the API since, or a checkpoint of format 1) leaves the position
    // to say which of the records read again were delivered.
    resume_from_ = *delivered;
    if (!file_point || file_point->check_times || !(file_point->container_position == *delivered)) {
      filter_by_time();
    }
  } else if (deps_.config.start_at == DockerInputConfig::StartAt::kNow) {
    options.start_at = json_file::ContainerLogFileReaderOptions::StartAt::kEnd;
  }
  if (deps_.multiline != nullptr) {
    for (const LogStream stream : {LogStream::kStdout, LogStream::kStderr}) {
      LogRecord probe;
      probe.container = container_;
      probe.stream = stream;
      options.multiline[stream == LogStream::kStderr] = deps_.multiline->for_stream(probe);
    }
  }
  // The ranks continue from the record at the file place (the container position may be later:
  // the store proved more delivered; those records are read again and dropped below).
  reader_ = std::make_unique<json_file::ContainerLogFileReader>(
      container_, log_path_, deps_.parser, options, file_point,
      file_point ? file_point->container_position : ContainerPosition{}, &deps_.file_metrics);

  // Pinned: a container removed while the pipeline has no room is read from this fd.
  if (deps_.file_metrics.open_files.value() <
      static_cast<std::int64_t>(deps_.config.max_pinned_files)) {
    reader_->open_now();
  }

  const std::filesystem::path path(log_path_);
  std::weak_ptr<ContainerLogFileFollower> weak = weak_from_this();
  subscription_ =
      deps_.watcher.watch(path.parent_path().string(), path.filename().string(), [weak] {
        if (auto self = weak.lock()) self->wake();
      });

  std::vector<LogRecord> records;
  // The next read likely brings as many records as the last: reserved, the vector does not
  // regrow (and copy its records) on the way there.
  std::size_t last_read_records = 0;
  while (!stopping_) {
    // Lines wait in the file, not in memory, while the pipeline is busy.
    co_await deps_.pipeline.wait_for_read_room();
    if (stopping_) break;
    // Taken after the wait: a stop that came during it must not wait for the idle recheck.
    const bool stopped_before_read = stopped_;
    changed_ = false;
    if (records.capacity() == 0) records.reserve(last_read_records);
    const bool at_end = reader_->read_available(records, kReadBudgetBytes);
    last_read_records = records.size();
    co_await deliver(records);
    if (stopping_) break;
    if (!at_end) {
      // More is there: let the other containers have the thread first.
      co_await asio::post(executor_, asio::use_awaitable);
      continue;
    }
    // Stack traces whose flush_timeout has passed (their container may never write again).
    reader_->flush_expired(records);
    co_await deliver(records);
    if (stopping_) break;
    if (stopped_before_read) {
      if (const auto end = co_await confirm_end()) {
        reader_->finish(records);  // its last line, even without a newline
        co_await deliver(records);
        co_return *end;
      }
      continue;
    }
    if (!changed_) co_await wait_for_change(reader_->flush_deadline());
  }
  co_return StreamEnd::kStopped;
}

asio::awaitable<std::optional<StreamEnd>> ContainerLogFileFollower::confirm_end() {
  if (retire_) co_return StreamEnd::kGone;
  std::optional<ContainerMetadata> now;
  bool inspected = false;
  try {
    now = co_await deps_.client.inspect_container(container_->id);
    inspected = true;
  } catch (const std::exception& e) {
    spdlog::debug("docker: container {}: inspect failed: {}", short_container_id(container_->id),
                  e.what());
  }
  if (!inspected) {
    if (!stopping_) co_await wait_for_change();  // asked again after a while
    co_return std::nullopt;
  }
  if (!now) co_return StreamEnd::kGone;
  if (now->running) {
    stopped_ = false;  // restarted before we looked: keep following
    co_return std::nullopt;
  }
  co_return StreamEnd::kExited;
}

asio::awaitable<void> ContainerLogFileFollower::deliver(std::vector<LogRecord>& records) {
  const std::uint64_t skipped_by_bytes = reader_->counters().skipped_delivered;
  deps_.metrics.skipped_records.inc(skipped_by_bytes - skipped_reported_);
  skipped_reported_ = skipped_by_bytes;
  // The checkpointed place could not be used (gone, or not openable): the reader began at the
  // oldest file, and only the position can say which of its records were delivered.
  if (!resume_loss_seen_ && reader_->counters().resume_lost > 0) {
    resume_loss_seen_ = true;
    filter_by_time();
  }
  if (by_time_.active()) {
    std::erase_if(records, [&](const LogRecord& record) {
      // An estimated time proves nothing: such a record is kept.
      if (record.time_estimated ||
          !by_time_.drops(record.stream, record.time, record.index_at_time)) {
        return false;
      }
      deps_.metrics.skipped_records.inc();
      return true;
    });
  }
  if (records.empty()) co_return;
  const LogRecord& last = records.back();
  const FileResumePoint file = file_resume_point(last, position_);
  co_await submitter_.submit(container_->id, position_, records, file);
}

}  // namespace lc::docker_input
