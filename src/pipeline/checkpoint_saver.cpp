#include "pipeline/checkpoint_saver.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "buffer/checkpoint_store.hpp"
#include "metrics/metrics_registry.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "sinks/file_store/file_store_sink.hpp"

namespace lc {

namespace asio = boost::asio;

CheckpointSaver::CheckpointSaver(asio::any_io_executor executor, CheckpointStore& store,
                                 CheckpointTracker& tracker, FileStoreSink* file_store,
                                 std::chrono::milliseconds interval, MetricsRegistry& metrics)
    : timer_(executor),
      store_(store),
      tracker_(tracker),
      file_store_(file_store),
      interval_(interval.count()),
      saves_(metrics.counter("log_capturer_checkpoint_saves_total", "Checkpoint files written.")),
      errors_(metrics.counter("log_capturer_checkpoint_errors_total",
                              "Checkpoint saves that failed (the previous file stays).")) {}

void CheckpointSaver::start() { asio::co_spawn(timer_.get_executor(), loop(), asio::detached); }

void CheckpointSaver::stop() {
  stopping_ = true;
  timer_.cancel();
}

asio::awaitable<void> CheckpointSaver::loop() {
  while (!stopping_) {
    timer_.expires_after(std::chrono::milliseconds(interval_.load()));
    boost::system::error_code ignored;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    if (stopping_) break;
    save_now();
  }
}

bool CheckpointSaver::save_now() {
  const std::uint64_t generation = tracker_.generation();
  if (generation == saved_generation_) return true;
  try {
    if (file_store_ != nullptr) file_store_->flush();
    for (const auto& flush : flushes_) flush();
    CheckpointState state;
    state.containers = tracker_.positions();
    state.container_files = tracker_.file_positions();
    // Not cursor(): it may be past the first half of a group whose positions are not yet
    // acknowledged, and recovery would then never count those records (read and stored twice).
    if (file_store_ != nullptr) state.store = file_store_->checkpoint_cursor();
    store_.save(state);
    saved_generation_ = generation;
    saves_.inc();
    return true;
  } catch (const std::exception& e) {
    errors_.inc();
    spdlog::error("checkpoints: save failed (positions stay where they were): {}", e.what());
    return false;
  }
}

}  // namespace lc
