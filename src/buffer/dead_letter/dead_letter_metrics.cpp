#include "buffer/dead_letter/dead_letter_metrics.hpp"

namespace lc {

DeadLetterMetrics::DeadLetterMetrics(MetricsRegistry& registry)
    : entries(registry.gauge("log_capturer_dead_letters_entries",
                             "Dead-letter entries stored (not yet reprocessed or dropped).")),
      bytes(registry.gauge("log_capturer_dead_letters_bytes",
                           "Bytes of the dead-letter store's segment files.")),
      corrupt_truncations(registry.counter(
          "log_capturer_dead_letters_corrupt_truncations_total",
          "Torn or corrupt dead-letter segment tails cut at the last intact entry.")),
      corrupt_skips(registry.counter(
          "log_capturer_dead_letters_corrupt_skips_total",
          "Corrupt regions skipped inside dead-letter segments (intact entries after them kept).")),
      write_errors(registry.counter("log_capturer_dead_letters_write_errors_total",
                                    "Failed dead-letter writes, fsyncs, opens for writing, segment "
                                    "creations and deletions.")),
      sync_failures(registry.counter(
          "log_capturer_dead_letters_fsync_failures_total",
          "Failed fsyncs of dead-letter segments: the write is undone and retried in a new file "
          "(/health degraded until an fsync there succeeds).")),
      registry_(registry) {}

Counter& DeadLetterMetrics::added(const std::string& sink, const std::string& reason_kind) {
  Counter*& counter = added_[{sink, reason_kind}];
  if (counter == nullptr) {
    counter = &registry_.counter("log_capturer_dead_letters_added_total",
                                 "Records stored as dead letters, by sink and reason kind.",
                                 {{"sink", sink}, {"reason", reason_kind}});
  }
  return *counter;
}

Counter& DeadLetterMetrics::per_sink(std::map<std::string, Counter*>& cache, const char* name,
                                     const char* help, const std::string& sink) {
  Counter*& counter = cache[sink];
  if (counter == nullptr) counter = &registry_.counter(name, help, {{"sink", sink}});
  return *counter;
}

Counter& DeadLetterMetrics::dropped(const std::string& sink) {
  return per_sink(dropped_, "log_capturer_dead_letters_dropped_total",
                  "Dead-letter entries deleted, oldest first, to stay under max_bytes.", sink);
}

Counter& DeadLetterMetrics::reprocessed(const std::string& sink) {
  return per_sink(reprocessed_, "log_capturer_dead_letters_reprocessed_total",
                  "Dead-letter entries re-queued and confirmed (removed from the store).", sink);
}

}  // namespace lc
