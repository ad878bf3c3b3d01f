#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <optional>

#include "buffer/dead_letter/dead_letter_replays.hpp"
#include "buffer/dead_letter/dead_letter_store.hpp"
#include "server/http_router.hpp"

namespace lc::server {

inline constexpr const char* kDeadLetterStatsPath = "/api/v1/dlq/stats";
inline constexpr const char* kDeadLetterEntriesPath = "/api/v1/dlq/entries";
inline constexpr const char* kDeadLetterReprocessPath = "/api/v1/dlq/reprocess";

// The dead-letter API (docs/disk-buffer.md), also served without the /api/v1 prefix
// (/dlq/stats, /dlq/entries, /dlq/reprocess):
//   GET  /api/v1/dlq/stats                        count, bytes, oldest/newest, by sink, replays
//   GET  /api/v1/dlq/entries?limit=N&after=ID&max_bytes=B
//                                                 entries with id > ID, oldest first
//   POST /api/v1/dlq/reprocess?limit=N&sink=NAME&max_bytes=B
//                                                 replay the oldest entries: 202 and a replay id;
//                                                 each entry is removed once its sink has it
// limit: 1..1000, default 100. max_bytes (entries as stored, the first always given):
// 1..16 MiB, default 1 MiB. Bad or unknown parameters: 400 with a message. The handlers run
// on `runs_on` (off the server's thread, which the inputs share), or inline if none. The store
// must outlive the router, every server holding it and every redelivery it starts.
void add_dead_letter_routes(HttpRouter& router, DeadLetterStore& store,
                            DeadLetterRedelivery redelivery,
                            std::optional<boost::asio::any_io_executor> runs_on = std::nullopt);

}  // namespace lc::server
