#include "inputs/file/file_input.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <deque>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "inputs/file/file_discovery.hpp"
#include "inputs/file/file_input_metrics.hpp"
#include "inputs/json_file/file_change_watcher.hpp"

namespace lc::file_input {

namespace asio = boost::asio;

namespace {

using Clock = std::chrono::steady_clock;
using Subscription = json_file::FileChangeWatcher::Subscription;

// A burst of directory events (a file written line by line) triggers one rescan, not one each.
constexpr std::chrono::milliseconds kEventRescanGap{100};
// Under constant load the ready queue never empties: deadlines are still checked this often.
constexpr std::chrono::milliseconds kDeadlineCheckInterval{50};

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool is_symlink(const std::string& path) {
  struct stat info {};
  return ::lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode);
}

}  // namespace

struct FileInput::State : std::enable_shared_from_this<FileInput::State> {
  struct FollowedFile {
    std::unique_ptr<TailedFileReader> reader;
    std::optional<multiline::MultilineJoiner> joiner;
    Subscription directory_watch;
    Subscription target_watch;  // a symlink's target directory, when it is elsewhere
    std::string target_path;
    bool symlink = false;
    bool queued = false;
    bool waiting_for_fd = false;         // its deadlines wait too, else the loop would spin on them
    std::size_t fds = 0;                 // as last counted into open_fds
    std::vector<FileIdentity> finished;  // its records may still be in the joiner
    Clock::time_point last_turn{};
  };

  State(asio::any_io_executor executor, json_file::FileChangeWatcher& watcher,
        FileInputOptions options, FileInputHooks hooks, FileInputMetrics* metrics)
      : executor(executor),
        watcher(watcher),
        options(std::move(options)),
        hooks(std::move(hooks)),
        metrics(metrics),
        discovery(this->options.include, this->options.exclude),
        wake_timer(executor) {
    if (!this->hooks.submit) throw std::invalid_argument("file input: no submit hook");
    if (this->options.max_open_files == 0) {
      throw std::invalid_argument("file input: max_open_files must be at least 1");
    }
    if (this->options.include.empty())
      throw std::invalid_argument("file input: no include pattern");
  }

  asio::awaitable<void> run();
  asio::awaitable<void> take_turn(const std::string& path);
  void report_finished(const std::string& path);
  std::size_t fd_allowance(FollowedFile& file);
  void count_fds(FollowedFile& file);
  void wake_waiting_for_fd();

  void rescan();
  void add(const std::string& path);
  void forget(const std::string& path);
  void watch_symlink_target(const std::string& path, FollowedFile& file);
  Subscription watch_file(const std::string& directory, const std::string& name,
                          const std::string& path);

  void mark_ready(const std::string& path);
  void poll_all();
  void queue_due(Clock::time_point now);
  Clock::time_point next_wake() const;
  void stop();
  void close_all();

  asio::any_io_executor executor;
  json_file::FileChangeWatcher& watcher;
  const FileInputOptions options;
  const FileInputHooks hooks;
  FileInputMetrics* const metrics;
  const FileDiscovery discovery;
  asio::steady_timer wake_timer;

  std::map<std::string, FollowedFile> files;
  std::set<std::string> refused;            // paths another input reads (warned once each)
  std::deque<std::string> ready;            // paths whose turn is due, each at most once
  std::vector<std::string> waiting_for_fd;  // paths that found no fd free under the limit
  std::map<FileDiscovery::WatchTarget, Subscription> discovery_watches;
  std::size_t open_fds = 0;
  bool started = false;
  bool stopped = false;
  bool in_submit = false;
  bool scanned_once = false;
  bool rescan_requested = false;
  Clock::time_point last_rescan{};
  Clock::time_point next_poll{};
  Clock::time_point next_deadline_check{};
};

// ---- The loop ----

asio::awaitable<void> FileInput::State::run() {
  try {
    rescan();
    next_poll = Clock::now() + options.poll_interval;
    while (!stopped) {
      const Clock::time_point now = Clock::now();
      if (now - last_rescan >= options.rescan_interval ||
          (rescan_requested && now - last_rescan >= kEventRescanGap)) {
        rescan();
      }
      if (now >= next_poll) {
        poll_all();
        next_poll = now + options.poll_interval;
      }
      if (ready.empty() || now >= next_deadline_check) queue_due(now);
      if (!ready.empty()) {
        const std::string path = std::move(ready.front());
        ready.pop_front();
        co_await take_turn(path);
        if (stopped) break;
        co_await asio::post(executor, asio::use_awaitable);  // let the executor's other work in
        continue;
      }
      wake_timer.expires_at(next_wake());
      boost::system::error_code ignored;
      co_await wake_timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
  } catch (const std::exception& error) {
    spdlog::error("file input: stopped reading: {}", error.what());
  }
  stopped = true;
  close_all();
}

asio::awaitable<void> FileInput::State::take_turn(const std::string& path) {
  if (hooks.wait_for_read_room) {  // before the lookup: the files may change meanwhile
    co_await hooks.wait_for_read_room();
    if (stopped) co_return;
  }
  const auto found = files.find(path);
  if (found == files.end()) co_return;  // forgotten since it was queued
  FollowedFile& file = found->second;
  file.queued = false;
  const std::size_t allowance = fd_allowance(file);
  if (allowance == 0) {
    if (!file.waiting_for_fd) waiting_for_fd.push_back(path);
    file.waiting_for_fd = true;
    co_return;
  }
  const Clock::time_point now = Clock::now();
  std::vector<LogRecord> records;
  const TailedFileReader::Progress progress =
      file.reader->read_available(records, {options.max_bytes_per_turn, allowance}, now);
  file.last_turn = now;
  count_fds(file);
  if (file.symlink) watch_symlink_target(path, file);
  const bool gone = progress == TailedFileReader::Progress::kGone;
  if (file.joiner) {
    std::vector<LogRecord> joined;
    for (LogRecord& line : records) file.joiner->push(std::move(line), now, joined);
    file.joiner->flush_expired(now, joined);
    if (gone) file.joiner->flush(joined);
    records = std::move(joined);
  }
  if (progress == TailedFileReader::Progress::kMore) mark_ready(path);
  for (const FileIdentity finished : file.reader->take_finished_files()) {
    file.finished.push_back(finished);
  }
  if (!records.empty()) {
    in_submit = true;
    co_await hooks.submit(std::move(records));  // backpressure: nothing is read meanwhile
    in_submit = false;
    if (stopped) co_return;
  }
  if (!gone) report_finished(path);
  if (gone) {
    spdlog::info("file input: {} is gone; forgetting it", path);
    forget(path);
    if (hooks.on_file_gone) hooks.on_file_gone(path);
  }
}

void FileInput::State::report_finished(const std::string& path) {
  const auto found = files.find(path);
  if (found == files.end() || !hooks.on_file_finished) return;
  FollowedFile& file = found->second;
  const LogRecord* joining = file.joiner ? file.joiner->pending() : nullptr;
  // A file whose last record is still being joined is reported once that record is submitted.
  std::erase_if(file.finished, [&](const FileIdentity finished) {
    if (joining != nullptr && joining->file_position.file == finished) return false;
    hooks.on_file_finished(path, finished);
    return true;
  });
}

std::size_t FileInput::State::fd_allowance(FollowedFile& file) {
  const std::size_t limit = options.max_open_files;
  std::size_t available = file.fds + (limit > open_fds ? limit - open_fds : 0);
  if (available == 0) {
    // Make room: close the file that has waited longest since its last turn.
    FollowedFile* idlest = nullptr;
    for (auto& [path, other] : files) {
      if (&other != &file && other.reader->can_release() &&
          (idlest == nullptr || other.last_turn < idlest->last_turn)) {
        idlest = &other;
      }
    }
    if (idlest == nullptr) return 0;  // every fd is busy finishing a rotated file
    idlest->reader->release();
    count_fds(*idlest);
    if (metrics != nullptr) metrics->closed_for_open_limit.inc();
    available = 1;
  }
  return std::min<std::size_t>(available, 2);
}

void FileInput::State::count_fds(FollowedFile& file) {
  const std::size_t held = file.reader->open_file_count();
  if (held == file.fds) return;
  open_fds = open_fds + held - file.fds;
  if (metrics != nullptr) {
    metrics->open_files.add(static_cast<std::int64_t>(held) - static_cast<std::int64_t>(file.fds));
  }
  const bool freed = held < file.fds;
  file.fds = held;
  if (freed) wake_waiting_for_fd();
}

void FileInput::State::wake_waiting_for_fd() {
  std::vector<std::string> waiting;
  waiting.swap(waiting_for_fd);
  for (const std::string& path : waiting) {
    if (const auto found = files.find(path); found != files.end()) {
      found->second.waiting_for_fd = false;
      mark_ready(path);
    }
  }
}

void FileInput::State::mark_ready(const std::string& path) {
  const auto found = files.find(path);
  if (found == files.end() || found->second.queued) return;
  found->second.queued = true;
  ready.push_back(path);
  wake_timer.cancel();
}

void FileInput::State::poll_all() {
  for (auto& [path, file] : files) {
    if (file.waiting_for_fd) continue;
    if (file.fds > 0 || file.reader->may_have_news()) mark_ready(path);
  }
}

void FileInput::State::queue_due(Clock::time_point now) {
  next_deadline_check = now + kDeadlineCheckInterval;
  for (auto& [path, file] : files) {
    if (file.waiting_for_fd) continue;
    const auto reader_due = file.reader->next_deadline();
    const auto joiner_due = file.joiner ? file.joiner->deadline() : std::nullopt;
    if ((reader_due && *reader_due <= now) || (joiner_due && *joiner_due <= now)) {
      mark_ready(path);
    }
  }
}

Clock::time_point FileInput::State::next_wake() const {
  Clock::time_point wake = std::min(next_poll, last_rescan + options.rescan_interval);
  if (rescan_requested) wake = std::min(wake, last_rescan + kEventRescanGap);
  for (const auto& [path, file] : files) {
    if (file.waiting_for_fd) continue;
    if (const auto due = file.reader->next_deadline()) wake = std::min(wake, *due);
    if (file.joiner) {
      if (const auto due = file.joiner->deadline()) wake = std::min(wake, *due);
    }
  }
  return wake;
}

// ---- Files: finding, following, forgetting ----

void FileInput::State::rescan() {
  last_rescan = Clock::now();
  rescan_requested = false;
  for (const std::string& path : discovery.matching_paths()) {
    if (!files.contains(path)) add(path);
  }
  scanned_once = true;

  std::map<FileDiscovery::WatchTarget, Subscription> watches;
  for (FileDiscovery::WatchTarget& target : discovery.watch_targets()) {
    if (auto kept = discovery_watches.extract(target)) {
      watches.insert(std::move(kept));
      continue;
    }
    Subscription subscription =
        watcher.watch(target.directory, target.name_prefix, [weak = weak_from_this()] {
          if (const auto self = weak.lock(); self && !self->stopped) {
            self->rescan_requested = true;
            self->wake_timer.cancel();
          }
        });
    watches.emplace(std::move(target), std::move(subscription));
  }
  discovery_watches = std::move(watches);  // directories gone from the patterns are dropped
}

void FileInput::State::add(const std::string& path) {
  const auto status = status_of_path(path);
  if (!status) return;
  for (const auto& [other_path, other] : files) {
    if (other.reader->follows(status->identity)) {
      spdlog::debug("file input: {} is a file {} already reads; not following it twice", path,
                    other_path);
      return;
    }
  }
  if (hooks.claim_path && !hooks.claim_path(path)) {
    if (refused.insert(path).second) {
      spdlog::warn("file input {}: {} is read by another files input; not reading it twice",
                   options.name, path);
      if (metrics != nullptr) metrics->files_refused.inc();
    }
    return;
  }
  refused.erase(path);
  std::vector<FileResumePoint> resume;
  if (hooks.resume_points) resume = hooks.resume_points(path);
  const bool resumed = !resume.empty();
  // Files that appear while we run are read from their start: nothing written is skipped.
  const auto start_at = scanned_once ? TailedFileReader::StartAt::kBeginning : options.start_at;
  FollowedFile& file = files[path];
  auto source = std::make_shared<const FileSource>(FileSource{path, options.labels, options.name});
  if (options.multiline) {
    LogRecord probe;
    probe.file_source = source;
    if (std::optional<multiline::StreamJoining> joining = options.multiline(probe)) {
      // A record behind one file's saved place only; ranks numbered over the records.
      joining->limits.split_at_file_change = true;
      joining->limits.renumber = true;
      file.joiner.emplace(*joining);
    }
  }
  file.reader = std::make_unique<TailedFileReader>(std::move(source), options.reader, start_at,
                                                   std::move(resume), metrics);
  file.directory_watch = watch_file(directory_of(path), name_of(path), path);
  file.symlink = is_symlink(path);
  if (file.symlink) watch_symlink_target(path, file);
  if (metrics != nullptr) metrics->files_watched.add(1);
  spdlog::debug("file input: following {}{}", path, resumed ? " from its saved positions" : "");
  mark_ready(path);
}

Subscription FileInput::State::watch_file(const std::string& directory, const std::string& name,
                                          const std::string& path) {
  return watcher.watch(directory, name, [weak = weak_from_this(), path] {
    if (const auto self = weak.lock(); self && !self->stopped) self->mark_ready(path);
  });
}

void FileInput::State::watch_symlink_target(const std::string& path, FollowedFile& file) {
  std::error_code error;
  const std::filesystem::path target = std::filesystem::canonical(path, error);
  if (error || target.string() == file.target_path) return;
  file.target_path = target.string();
  const std::string directory = target.parent_path().string();
  if (directory == directory_of(path)) {
    file.target_watch.reset();  // the path's own directory watch sees it
  } else {
    file.target_watch = watch_file(directory, target.filename().string(), path);
  }
}

void FileInput::State::forget(const std::string& path) {
  const auto found = files.find(path);
  if (found == files.end()) return;
  FollowedFile& file = found->second;
  if (metrics != nullptr) {
    metrics->open_files.sub(static_cast<std::int64_t>(file.fds));
    metrics->files_watched.sub(1);
  }
  open_fds -= file.fds;
  const bool freed = file.fds > 0;
  files.erase(found);  // closes its files and drops its watches
  if (hooks.release_path) hooks.release_path(path);
  if (freed) wake_waiting_for_fd();
}

void FileInput::State::stop() {
  stopped = true;
  wake_timer.cancel();
  discovery_watches.clear();
  for (auto& [path, file] : files) {
    file.directory_watch.reset();
    file.target_watch.reset();
  }
  if (!in_submit) close_all();  // else the loop closes them when the submit returns
}

void FileInput::State::close_all() {
  discovery_watches.clear();
  for (const auto& [path, file] : files) {
    if (metrics != nullptr) {
      metrics->open_files.sub(static_cast<std::int64_t>(file.fds));
      metrics->files_watched.sub(1);
    }
    if (hooks.release_path) hooks.release_path(path);
  }
  files.clear();
  open_fds = 0;
  ready.clear();
  waiting_for_fd.clear();
}

// ---- FileInput ----

FileInput::FileInput(asio::any_io_executor executor, json_file::FileChangeWatcher& watcher,
                     FileInputOptions options, FileInputHooks hooks, FileInputMetrics* metrics)
    : state_(std::make_shared<State>(executor, watcher, std::move(options), std::move(hooks),
                                     metrics)) {}

FileInput::~FileInput() { state_->stop(); }

void FileInput::start() {
  if (state_->started || state_->stopped) return;
  state_->started = true;
  asio::co_spawn(
      state_->executor, [state = state_] { return state->run(); }, tasks_.track());
}

void FileInput::stop() { state_->stop(); }

std::size_t FileInput::files_followed() const { return state_->files.size(); }
std::size_t FileInput::open_files() const { return state_->open_fds; }

bool FileInput::finished() const { return state_->stopped && tasks_.running() == 0; }

}  // namespace lc::file_input
