#include "inputs/json_file/file_change_watcher.hpp"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>

#include <algorithm>
#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "inputs/json_file/json_file_input_metrics.hpp"

namespace lc::json_file {

namespace asio = boost::asio;

namespace {

constexpr std::uint32_t kWatchMask = IN_MODIFY | IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO |
                                     IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

}  // namespace

struct FileChangeWatcher::State : std::enable_shared_from_this<FileChangeWatcher::State> {
  struct Subscriber {
    int wd = -1;  // -1: polled
    std::string name_prefix;
    Callback on_change;
  };
  struct Watch {
    std::string directory;
    std::vector<std::uint64_t> subscribers;
  };

  State(asio::any_io_executor executor, Options options, JsonFileInputMetrics* metrics)
      : options(options), metrics(metrics), poll_timer(executor), executor(executor) {}

  void open_inotify();
  void read_events();
  void on_events(std::size_t bytes);
  void notify(std::vector<std::uint64_t>& ids);
  void make_polled(std::uint64_t id, Subscriber& subscriber);
  void arm_poll_timer();
  void remove(std::uint64_t id);
  void close();

  const Options options;
  JsonFileInputMetrics* const metrics;
  asio::steady_timer poll_timer;
  asio::any_io_executor executor;
  std::optional<asio::posix::stream_descriptor> inotify;
  bool reading = false;
  bool poll_timer_armed = false;
  bool closed = false;
  std::uint64_t next_id = 1;
  std::map<std::uint64_t, Subscriber> subscribers;
  std::unordered_map<int, Watch> watches;
  std::size_t polled = 0;
  alignas(struct inotify_event) std::array<char, 64 * 1024> buffer{};
};

void FileChangeWatcher::State::open_inotify() {
  if (options.force_polling) return;
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    spdlog::warn("file watch: inotify unavailable ({}); polling every {} ms", std::strerror(errno),
                 options.poll_interval.count());
    return;
  }
  inotify.emplace(executor, fd);
}

void FileChangeWatcher::State::read_events() {
  if (reading || closed || !inotify || watches.empty()) return;
  reading = true;
  inotify->async_read_some(
      asio::buffer(buffer),
      [self = shared_from_this()](const boost::system::error_code& error, std::size_t bytes) {
        self->reading = false;
        if (self->closed || error == asio::error::operation_aborted) return;
        if (error) {
          // The inotify fd is unusable: serve everyone by polling from now on.
          spdlog::warn("file watch: inotify read failed ({}); polling instead", error.message());
          for (auto& [id, subscriber] : self->subscribers) {
            if (subscriber.wd >= 0) self->make_polled(id, subscriber);
          }
          self->watches.clear();
          self->inotify.reset();
          return;
        }
        self->on_events(bytes);
        self->read_events();
      });
}

void FileChangeWatcher::State::on_events(std::size_t bytes) {
  std::vector<std::uint64_t> to_notify;
  std::size_t offset = 0;
  while (offset + sizeof(struct inotify_event) <= bytes) {
    struct inotify_event event;
    std::memcpy(&event, buffer.data() + offset, sizeof(event));
    const char* name = buffer.data() + offset + sizeof(event);
    const std::string_view name_view = event.len > 0 ? std::string_view(name) : std::string_view();
    offset += sizeof(event) + event.len;

    if ((event.mask & IN_Q_OVERFLOW) != 0) {  // events were lost: everyone looks
      for (const auto& entry : subscribers) to_notify.push_back(entry.first);
      continue;
    }
    const auto watch = watches.find(event.wd);
    if (watch == watches.end()) continue;  // removed since
    for (const std::uint64_t id : watch->second.subscribers) {
      const Subscriber& subscriber = subscribers.at(id);
      if (name_view.empty() || name_view.starts_with(subscriber.name_prefix)) {
        to_notify.push_back(id);
      }
    }
    if ((event.mask & IN_IGNORED) != 0) {
      // The kernel dropped the watch (directory deleted or unmounted): poll from now on.
      const std::vector<std::uint64_t> ids = watch->second.subscribers;
      watches.erase(watch);
      if (metrics != nullptr) metrics->inotify_watches.sub(1);
      for (const std::uint64_t id : ids) make_polled(id, subscribers.at(id));
    }
  }
  notify(to_notify);
}

void FileChangeWatcher::State::notify(std::vector<std::uint64_t>& ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  const auto keep_alive = shared_from_this();
  for (const std::uint64_t id : ids) {
    if (closed) return;
    // Looked up each time: a callback may remove subscriptions, its own included.
    const auto subscriber = subscribers.find(id);
    if (subscriber == subscribers.end()) continue;
    const Callback callback = subscriber->second.on_change;
    callback();
  }
}

void FileChangeWatcher::State::make_polled(std::uint64_t id, Subscriber& subscriber) {
  (void)id;
  subscriber.wd = -1;
  ++polled;
  if (metrics != nullptr) {
    metrics->polled_watches.add(1);
    metrics->watch_fallbacks.inc();
  }
  arm_poll_timer();
}

void FileChangeWatcher::State::arm_poll_timer() {
  if (poll_timer_armed || closed || polled == 0) return;
  poll_timer_armed = true;
  poll_timer.expires_after(options.poll_interval);
  poll_timer.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
    self->poll_timer_armed = false;
    if (self->closed || error) return;
    std::vector<std::uint64_t> ids;
    for (const auto& [id, subscriber] : self->subscribers) {
      if (subscriber.wd < 0) ids.push_back(id);
    }
    self->notify(ids);
    self->arm_poll_timer();
  });
}

void FileChangeWatcher::State::remove(std::uint64_t id) {
  const auto found = subscribers.find(id);
  if (found == subscribers.end()) return;
  const int wd = found->second.wd;
  subscribers.erase(found);
  if (wd < 0) {
    --polled;
    if (metrics != nullptr) metrics->polled_watches.sub(1);
    return;
  }
  const auto watch = watches.find(wd);
  if (watch == watches.end()) return;
  auto& ids = watch->second.subscribers;
  ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
  if (!ids.empty()) return;
  if (inotify) ::inotify_rm_watch(inotify->native_handle(), wd);
  watches.erase(watch);
  if (metrics != nullptr) metrics->inotify_watches.sub(1);
}

void FileChangeWatcher::State::close() {
  closed = true;
  poll_timer.cancel();
  if (inotify) {
    boost::system::error_code ignored;
    inotify->close(ignored);  // cancels the pending read; its handler sees `closed`
    inotify.reset();
  }
  if (metrics != nullptr) {
    metrics->inotify_watches.sub(static_cast<std::int64_t>(watches.size()));
    metrics->polled_watches.sub(static_cast<std::int64_t>(polled));
  }
  watches.clear();
  subscribers.clear();
  polled = 0;
}

FileChangeWatcher::FileChangeWatcher(asio::any_io_executor executor, Options options,
                                     JsonFileInputMetrics* metrics)
    : state_(std::make_shared<State>(executor, options, metrics)) {
  state_->open_inotify();
}

FileChangeWatcher::~FileChangeWatcher() { state_->close(); }

FileChangeWatcher::Subscription FileChangeWatcher::watch(const std::string& directory,
                                                         std::string name_prefix,
                                                         Callback on_change) {
  State& state = *state_;
  const std::uint64_t id = state.next_id++;
  State::Subscriber& subscriber =
      state.subscribers
          .emplace(id, State::Subscriber{-1, std::move(name_prefix), std::move(on_change)})
          .first->second;
  int wd = -1;
  if (state.inotify) {
    wd = ::inotify_add_watch(state.inotify->native_handle(), directory.c_str(), kWatchMask);
    if (wd < 0) {
      spdlog::warn("file watch: cannot watch {} with inotify ({}){}; polling it every {} ms",
                   directory, std::strerror(errno),
                   errno == ENOSPC ? " - raise fs.inotify.max_user_watches" : "",
                   state.options.poll_interval.count());
    }
  }
  if (wd >= 0) {
    subscriber.wd = wd;
    auto [watch, added] = state.watches.try_emplace(wd, State::Watch{directory, {}});
    watch->second.subscribers.push_back(id);
    if (added && state.metrics != nullptr) state.metrics->inotify_watches.add(1);
    state.read_events();
  } else {
    state.make_polled(id, subscriber);
  }
  return Subscription(state_, id);
}

bool FileChangeWatcher::inotify_available() const { return state_->inotify.has_value(); }
std::size_t FileChangeWatcher::inotify_watch_count() const { return state_->watches.size(); }
std::size_t FileChangeWatcher::polled_count() const { return state_->polled; }

FileChangeWatcher::Subscription::Subscription(Subscription&& other) noexcept
    : state_(std::move(other.state_)), id_(std::exchange(other.id_, 0)) {}

FileChangeWatcher::Subscription& FileChangeWatcher::Subscription::operator=(
    Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    state_ = std::move(other.state_);
    id_ = std::exchange(other.id_, 0);
  }
  return *this;
}

void FileChangeWatcher::Subscription::reset() {
  if (id_ == 0) return;
  if (auto state = state_.lock(); state && !state->closed) state->remove(id_);
  state_.reset();
  id_ = 0;
}

bool FileChangeWatcher::Subscription::polled() const {
  const auto state = state_.lock();
  if (!state || id_ == 0) return false;
  const auto found = state->subscribers.find(id_);
  return found != state->subscribers.end() && found->second.wd < 0;
}

}  // namespace lc::json_file
