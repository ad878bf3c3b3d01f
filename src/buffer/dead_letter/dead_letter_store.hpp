#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "buffer/dead_letter/dead_letter_entry.hpp"
#include "buffer/dead_letter/dead_letter_metrics.hpp"
#include "buffer/disk_buffer/record_codec.hpp"
#include "buffer/disk_buffer/segment_appender.hpp"
#include "buffer/disk_buffer/segment_directory.hpp"
#include "metrics/metrics_registry.hpp"

namespace lc {

struct DeadLetterStoreOptions {
  std::string directory;  // e.g. <data_dir>/dead_letters
  // Segment files on disk at most. Beyond it the oldest segment, with its entries, is deleted
  // (counted in log_capturer_dead_letters_dropped_total): the one place where the agent drops
  // data, and only under this bound.
  std::uint64_t max_bytes = 128ull << 20;
  // The unit in which old entries are dropped; at most max_bytes / 4.
  std::uint64_t max_segment_bytes = 4ull << 20;
  bool fsync = true;  // fsync every add() and confirm(): dead letters are few, keep them safe
};

struct DeadLetterAddResult {
  std::size_t added = 0;    // records stored (the first ones of the call)
  std::size_t dropped = 0;  // records that could never fit under max_bytes (counted, logged)
  std::error_code error;    // the records after the stored ones were not stored (ENOSPC, EIO)
};

struct DeadLetterConfirmResult {
  std::size_t removed = 0;  // entries removed; unknown or already removed ids are ignored
  std::error_code error;    // some entries could not be marked removed: they stay stored
};

// Records that sinks rejected permanently, on disk and bounded, for inspection and replay
// (docs/disk-buffer.md). Entries live in self-contained segment files: an entry is removed by
// a removal frame appended to its own segment, and a segment is deleted once none of its
// entries is left (the newest, being written, is kept). Reprocessing is at-least-once:
// take_for_reprocess() removes nothing; confirm() removes what the caller re-queued.
// Thread-safe: the sink loop adds while the HTTP API lists and reprocesses.
class DeadLetterStore {
 public:
  // Opens (creating if missing) the directory and recovers what it holds. Throws
  // std::invalid_argument for bad options, std::system_error when the directory or a segment
  // cannot be read or written at all.
  DeadLetterStore(DeadLetterStoreOptions options, MetricsRegistry& metrics);

  // Creates the per-sink metric series at 0 for these sinks and the reason kinds the pipeline
  // uses, so that they exist (and can be alerted on) before the first dead letter.
  void register_sinks(const std::vector<std::string>& sinks);

  DeadLetterAddResult add(std::string_view sink, const DeadLetterReason& reason,
                          std::span<const LogRecord> records);
  DeadLetterStats stats() const;
  // Entries with an id above after_id, oldest first, at most limit.
  std::vector<DeadLetterEntry> list(std::uint64_t after_id, std::size_t limit) const;
  // The oldest entries (of `sink` only, when given), at most limit. They stay stored until
  // confirm()ed: a crash or a refused re-queue loses nothing.
  std::vector<DeadLetterEntry> take_for_reprocess(std::size_t limit,
                                                  std::optional<std::string_view> sink) const;
  DeadLetterConfirmResult confirm(std::span<const std::uint64_t> ids);

 private:
  // ~32 bytes of memory per stored entry; the record itself stays on disk.
  struct EntryRef {
    std::uint64_t id = 0;
    TimestampNs added = 0;
    std::uint64_t offset = 0;  // of its frame in the segment
    std::uint32_t sink = 0;    // index in sink_names_
    bool live = true;
  };
  struct Segment {
    std::uint64_t seq = 0;
    SegmentHeader header;
    std::uint64_t bytes = 0;
    std::vector<EntryRef> entries;  // ascending id
    std::size_t live = 0;
    SegmentSources sources;  // not for the active segment: see encoder_
  };
  struct PendingEntry {
    EntryRef ref;
    std::size_t buffer_offset = 0;  // of its frame in write_buffer_
  };

  void recover();
  void recover_segment_entries(std::uint64_t seq);
  std::error_code start_segment();
  // Writes write_buffer_ (the frames of `pending`) to the active segment and indexes them;
  // on failure withdraws them (definitions since chunk_mark, their ids).
  std::error_code write_pending(std::vector<PendingEntry>& pending,
                                RecordFrameEncoder::Mark& chunk_mark, DeadLetterAddResult& result);
  // Deletes the oldest segments (never the active one) until `needed` more bytes fit.
  void make_room(std::uint64_t needed);
  void delete_if_empty(std::size_t segment_index);
  std::uint32_t sink_index(std::string_view sink);
  const SegmentSources& sources_of(const Segment& segment) const;
  std::vector<DeadLetterEntry> collect(std::uint64_t after_id, std::size_t limit,
                                       std::optional<std::string_view> sink) const;
  // Where an id is stored: segment index and entry index, or nullopt.
  std::optional<std::pair<std::size_t, std::size_t>> locate(std::uint64_t id) const;
  void count_write_error(const char* what, const std::string& path, std::error_code ec);
  void update_gauges();

  const DeadLetterStoreOptions options_;
  SegmentDirectory directory_;
  mutable std::mutex mutex_;
  DeadLetterMetrics metrics_;

  std::deque<Segment> segments_;  // ascending seq and id; the last is the one written
  SegmentAppender writer_;
  RecordFrameEncoder encoder_;  // the active segment's source tables
  std::string write_buffer_;
  std::uint64_t next_id_ = 1;
  std::uint64_t total_bytes_ = 0;
  std::uint64_t live_entries_ = 0;
  std::vector<std::string> sink_names_;
  std::unordered_map<std::string, std::uint32_t> sink_indexes_;
  std::vector<std::uint64_t> live_by_sink_;
};

}  // namespace lc
