#pragma once

#include <functional>
#include <span>

#include "buffer/dead_letter/dead_letter_store.hpp"
#include "core/log_record.hpp"
#include "server/http_router.hpp"

namespace lc::server {

inline constexpr const char* kDeadLetterStatsPath = "/api/v1/dlq/stats";
inline constexpr const char* kDeadLetterEntriesPath = "/api/v1/dlq/entries";
inline constexpr const char* kDeadLetterReprocessPath = "/api/v1/dlq/reprocess";

// Hands entries taken from the dead-letter store back to the agent's pipeline, each to the
// sink that refused it; true when it accepted all of them (then they are removed from the
// store), false when it could not (they stay stored).
using DeadLetterRequeue = std::function<bool(std::span<const DeadLetterEntry>)>;

// The dead-letter API (docs/disk-buffer.md), also served without the /api/v1 prefix
// (/dlq/stats, /dlq/entries, /dlq/reprocess):
//   GET  /api/v1/dlq/stats                        count, bytes, oldest/newest, by sink
//   GET  /api/v1/dlq/entries?limit=N&after=ID     entries with id > ID, oldest first
//   POST /api/v1/dlq/reprocess?limit=N&sink=NAME  re-queue the oldest entries, confirm them
// limit: 1..1000, default 100. Bad or unknown parameters: 400 with a message. The store must
// outlive the router and every server holding it.
void add_dead_letter_routes(HttpRouter& router, DeadLetterStore& store, DeadLetterRequeue requeue);

}  // namespace lc::server
