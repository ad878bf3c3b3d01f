#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

namespace lc {

class CheckpointStore;
class CheckpointTracker;
class Counter;
class FileStoreSink;
class MetricsRegistry;

// Saves the delivered positions every interval (when they changed), after making the store
// durable, so that checkpoints never claim more than the store holds. Runs on the sink
// executor, the thread that acknowledges, so positions and store cursor agree.
class CheckpointSaver {
 public:
  // `file_store`: nullptr when the file store is disabled (the store cursor then stays 0).
  CheckpointSaver(boost::asio::any_io_executor executor, CheckpointStore& store,
                  CheckpointTracker& tracker, FileStoreSink* file_store,
                  std::chrono::milliseconds interval, MetricsRegistry& metrics);
  CheckpointSaver(boost::asio::any_io_executor executor, CheckpointStore& store,
                  CheckpointTracker& tracker, FileStoreSink& file_store,
                  std::chrono::milliseconds interval, MetricsRegistry& metrics)
      : CheckpointSaver(executor, store, tracker, &file_store, interval, metrics) {}

  // Something else that must be durable before a checkpoint may count on it (a sink's disk
  // buffer); throws std::system_error when it cannot be made so.
  void also_make_durable(std::function<void()> flush) { flushes_.push_back(std::move(flush)); }

  void start();
  void stop();  // ends the periodic task; call save_now() afterwards for the final save
  // A reload: saves every `interval` from the next save on (any thread).
  void set_interval(std::chrono::milliseconds interval) { interval_ = interval.count(); }
  // Returns false (and logs, and counts) when the save failed.
  bool save_now();

 private:
  boost::asio::awaitable<void> loop();

  boost::asio::steady_timer timer_;
  CheckpointStore& store_;
  CheckpointTracker& tracker_;
  FileStoreSink* file_store_;
  std::vector<std::function<void()>> flushes_;
  std::atomic<std::chrono::milliseconds::rep> interval_;
  std::uint64_t saved_generation_ = ~std::uint64_t{0};
  bool stopping_ = false;
  Counter& saves_;
  Counter& errors_;
};

}  // namespace lc
