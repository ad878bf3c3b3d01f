#include "buffer/dead_letter/dead_letter_replays.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <utility>

namespace lc {

struct DeadLetterReplays::Replay {
  std::uint64_t id = 0;
  TimestampNs started = 0;
  std::uint64_t taken = 0;
  std::map<std::string, std::uint64_t> skipped;
  std::atomic<std::uint64_t> queued{0};
  std::atomic<std::uint64_t> not_queued{0};
  std::atomic<std::uint64_t> delivered{0};
  std::atomic<std::uint64_t> dead_lettered_again{0};
  std::atomic<std::uint64_t> not_confirmed{0};

  DeadLetterReplayProgress progress() const {
    DeadLetterReplayProgress out;
    out.id = id;
    out.started = started;
    out.taken = taken;
    out.skipped_unconfigured_sinks = skipped;
    // Settled counts first: read after them, queued is never below their sum.
    out.delivered = delivered;
    out.dead_lettered_again = dead_lettered_again;
    out.not_confirmed = not_confirmed;
    out.not_queued = not_queued;
    out.queued = queued;
    const std::uint64_t settled = out.delivered + out.dead_lettered_again + out.not_confirmed;
    out.pending = out.queued > settled ? out.queued - settled : 0;
    return out;
  }
};

// One redelivery's entries: confirmed when the lane is done with them, released (no longer
// in flight, still stored) when it never is.
class DeadLetterReplays::Redelivered {
 public:
  Redelivered(DeadLetterStore& store, std::shared_ptr<Replay> replay,
              std::vector<std::uint64_t> ids)
      : store_(store), replay_(std::move(replay)), ids_(std::move(ids)) {}
  Redelivered(const Redelivered&) = delete;
  Redelivered& operator=(const Redelivered&) = delete;
  ~Redelivered() {
    if (settled_) return;
    store_.release(ids_);  // the lane stopped before it was done with them
    replay_->not_confirmed += ids_.size();
  }

  // The pipeline refused them.
  void not_queued() {
    settled_ = true;
    store_.release(ids_);
    replay_->not_queued += ids_.size();
  }

  void done(std::uint64_t refused) {
    settled_ = true;
    const DeadLetterConfirmResult confirmed = store_.confirm(ids_);
    const std::uint64_t removed = std::min<std::uint64_t>(confirmed.removed, ids_.size());
    const std::uint64_t kept = ids_.size() - removed;
    if (confirmed.error) {
      spdlog::error(
          "dead letters: replay {}: {} entries delivered but not removed ({}); they will be "
          "replayed again",
          replay_->id, kept, confirmed.error.message());
    }
    const std::uint64_t again = std::min(refused, removed);
    replay_->dead_lettered_again += again;
    replay_->delivered += removed - again;
    replay_->not_confirmed += kept;
  }

 private:
  DeadLetterStore& store_;
  std::shared_ptr<Replay> replay_;
  std::vector<std::uint64_t> ids_;
  bool settled_ = false;
};

DeadLetterReplays::DeadLetterReplays(DeadLetterStore& store, DeadLetterRedelivery redelivery)
    : store_(store), redelivery_(std::move(redelivery)) {}

DeadLetterReplayProgress DeadLetterReplays::start(std::size_t limit, std::uint64_t max_bytes,
                                                  std::optional<std::string> sink) {
  const auto wanted = [&](std::string_view name) {
    return (!sink || name == *sink) && redelivery_.has_sink(name);
  };
  auto replay = std::make_shared<Replay>();
  replay->started = now_ns();
  for (const auto& [name, count] : store_.stats().entries_by_sink) {
    if ((!sink || name == *sink) && !redelivery_.has_sink(name)) replay->skipped[name] = count;
  }
  std::vector<DeadLetterEntry> taken = store_.take_for_reprocess(limit, max_bytes, wanted);
  replay->taken = taken.size();
  {
    std::lock_guard lock(mutex_);
    replay->id = next_id_++;
    replays_.push_back(replay);
    while (replays_.size() > kKeptReplays) replays_.pop_front();
  }
  // Each sink's entries, in runs of at most kEntriesPerRedelivery, oldest first.
  std::map<std::string, std::vector<DeadLetterEntry*>> by_sink;
  for (DeadLetterEntry& entry : taken) by_sink[entry.sink].push_back(&entry);
  for (auto& [name, entries] : by_sink) {
    for (std::size_t begin = 0; begin < entries.size(); begin += kEntriesPerRedelivery) {
      const std::size_t end = std::min(entries.size(), begin + kEntriesPerRedelivery);
      std::vector<LogRecord> records;
      std::vector<std::uint64_t> ids;
      for (std::size_t i = begin; i < end; ++i) {
        records.push_back(std::move(entries[i]->record));
        ids.push_back(entries[i]->id);
      }
      const std::size_t count = ids.size();
      auto redelivered = std::make_shared<Redelivered>(store_, replay, std::move(ids));
      replay->queued += count;  // before the lane may finish with them
      if (!redelivery_.redeliver(name, std::move(records), [redelivered](std::uint64_t refused) {
            redelivered->done(refused);
          })) {
        replay->queued -= count;
        redelivered->not_queued();
      }
    }
  }
  return replay->progress();
}

std::vector<DeadLetterReplayProgress> DeadLetterReplays::recent() const {
  std::lock_guard lock(mutex_);
  std::vector<DeadLetterReplayProgress> out;
  for (const auto& replay : replays_) out.push_back(replay->progress());
  return out;
}

}  // namespace lc
