#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace lc::json_file {

struct JsonFileInputMetrics;

struct FileChangeWatcherOptions {
  std::chrono::milliseconds poll_interval{1000};
  bool force_polling = false;  // never use inotify (tests, odd file systems)
};

// Tells readers "something changed in your directory". One inotify fd for the whole agent,
// read asynchronously on the executor; one watch per directory, shared by its subscribers and
// removed with the last of them. Where inotify is unavailable (no fd, watch limit reached,
// directory missing) a subscription is polled instead: its callback runs every poll_interval.
// Single-threaded: create, destroy and use everything from the executor's thread.
class FileChangeWatcher {
 public:
  using Options = FileChangeWatcherOptions;
  using Callback = std::function<void()>;

  struct State;

  // Keeps a watch alive; destroying (or reset()) removes it. May outlive the watcher.
  class Subscription {
   public:
    Subscription() = default;
    ~Subscription() { reset(); }
    Subscription(Subscription&& other) noexcept;
    Subscription& operator=(Subscription&& other) noexcept;
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

    void reset();
    bool active() const { return id_ != 0; }
    bool polled() const;  // false while inotify serves it

   private:
    friend class FileChangeWatcher;
    Subscription(std::weak_ptr<State> state, std::uint64_t id)
        : state_(std::move(state)), id_(id) {}

    std::weak_ptr<State> state_;
    std::uint64_t id_ = 0;
  };

  explicit FileChangeWatcher(boost::asio::any_io_executor executor, Options options = {},
                             JsonFileInputMetrics* metrics = nullptr);
  ~FileChangeWatcher();
  FileChangeWatcher(const FileChangeWatcher&) = delete;
  FileChangeWatcher& operator=(const FileChangeWatcher&) = delete;

  // Calls on_change (on the executor, at most once per batch of events) when an entry of
  // `directory` whose name starts with `name_prefix` (empty: any) is created, written, moved
  // or deleted, or the directory itself goes away; also after an inotify queue overflow.
  Subscription watch(const std::string& directory, std::string name_prefix, Callback on_change);

  bool inotify_available() const;
  std::size_t inotify_watch_count() const;  // distinct directories watched with inotify
  std::size_t polled_count() const;         // subscriptions served by polling

 private:
  std::shared_ptr<State> state_;
};

}  // namespace lc::json_file
