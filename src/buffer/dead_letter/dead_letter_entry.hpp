#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/log_record.hpp"
#include "core/timestamp.hpp"

namespace lc {

// Why a sink gave up on records for good. `kind` is a short fixed word chosen by the caller
// ("rejected", "too_large"...): it labels a metric, so the set must stay small; it is reduced
// to [a-z0-9_], at most 32 characters. `message` is the sink's own words, stored as given.
struct DeadLetterReason {
  std::string kind;
  std::string message;
};

// One record a sink rejected permanently, as the dead-letter store keeps it.
struct DeadLetterEntry {
  std::uint64_t id = 0;  // monotonic, never reused
  TimestampNs added = 0;
  std::string sink;
  DeadLetterReason reason;
  LogRecord record;
};

struct DeadLetterStats {
  struct Edge {
    std::uint64_t id = 0;
    TimestampNs added = 0;
  };
  std::uint64_t entries = 0;
  std::uint64_t in_flight = 0;  // entries being reprocessed (taken, not yet confirmed)
  bool sync_failure_latched = false;
  std::uint64_t bytes = 0;      // segment files on disk
  std::uint64_t max_bytes = 0;  // the bound
  std::optional<Edge> oldest;
  std::optional<Edge> newest;
  std::map<std::string, std::uint64_t> entries_by_sink;
};

}  // namespace lc
