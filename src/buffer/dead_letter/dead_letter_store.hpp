#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
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

class HealthRegistry;

struct DeadLetterStoreOptions {
  std::string directory;  // e.g. <data_dir>/dead_letters
  // Segment files on disk at most. Beyond it the oldest segment, with its entries, is deleted
  // (counted in log_capturer_dead_letters_dropped_total): the one place where the agent drops
  // data, and only under this bound.
  std::uint64_t max_bytes = 128ull << 20;
  // The unit in which old entries are dropped; at most max_bytes / 4.
  std::uint64_t max_segment_bytes = 4ull << 20;
  bool fsync = true;  // fsync every add() and confirm(): dead letters are few, keep them safe
  // Test seam: called before each fsync of a segment file; an error it returns stands for the
  // fsync's (e.g. EIO, to test what a lost writeback does).
  std::function<std::error_code(const std::string& path)> sync_fault;
};

struct DeadLetterAddResult {
  std::size_t added = 0;    // records stored: all those that fit, or none when error is set
  std::size_t dropped = 0;  // records that could never fit under max_bytes (counted, logged)
  std::error_code error;    // nothing of the call was stored (ENOSPC, EIO, fsync): retry it all
};

struct DeadLetterConfirmResult {
  std::size_t removed = 0;  // entries removed; unknown or already removed ids are ignored
  std::error_code error;    // some entries could not be marked removed: they stay stored
};

// Entries of one sink are taken for reprocessing or not (e.g. no such sink is configured).
using DeadLetterSinkFilter = std::function<bool(std::string_view sink)>;

// Records that sinks rejected permanently, on disk and bounded, for inspection and replay
// (docs/disk-buffer.md). Entries live in self-contained segment files: an entry is removed by
// a removal frame appended to its own segment, and a segment is deleted once none of its
// entries is left (the newest, being written, is kept). Reprocessing is at-least-once:
// take_for_reprocess() removes nothing but marks the entries in flight (in memory), so that no
// other reprocess takes them; confirm() removes them once delivered, release() gives them back.
// A crash forgets the marks: unconfirmed entries are reprocessed again (at-least-once).
// An add() is all or nothing. A failed fsync is latched: the call fails, what it wrote is cut
// back, the next write goes to a new file (the failed descriptor would not report the lost
// writeback again) and /health shows the store degraded until an fsync there succeeds.
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
  // Reports "dead_letters" to `health` (degraded while an fsync failure is latched).
  void report_health_to(HealthRegistry& health);

  DeadLetterAddResult add(std::string_view sink, const DeadLetterReason& reason,
                          std::span<const LogRecord> records);
  DeadLetterStats stats() const;
  // Entries with an id above after_id, oldest first, at most limit, and no more once they
  // reach max_bytes as stored (the first one always, however large).
  std::vector<DeadLetterEntry> list(std::uint64_t after_id, std::size_t limit,
                                    std::uint64_t max_bytes = UINT64_MAX) const;
  // The oldest entries not in flight whose sink `wanted` accepts, bounded like list(), now in
  // flight. They stay stored until confirm()ed: a crash or a refused re-queue loses nothing.
  std::vector<DeadLetterEntry> take_for_reprocess(std::size_t limit, std::uint64_t max_bytes,
                                                  const DeadLetterSinkFilter& wanted);
  // Removes the entries (delivered again): they are no longer in flight.
  DeadLetterConfirmResult confirm(std::span<const std::uint64_t> ids);
  // Entries taken but not confirmed (not re-queued, or dropped at shutdown): no longer in
  // flight, taken again by the next reprocess.
  void release(std::span<const std::uint64_t> ids);
  std::uint64_t in_flight() const;
  // An fsync failed and no fsync in a new file has succeeded since.
  bool sync_failure_latched() const;

 private:
  // ~32 bytes of memory per stored entry; the record itself stays on disk.
  struct EntryRef {
    std::uint64_t id = 0;
    TimestampNs added = 0;
    std::uint64_t offset = 0;  // of its frame in the segment
    std::uint32_t sink = 0;    // index in sink_names_
    bool live = true;
    bool in_flight = false;  // taken for reprocessing, neither confirmed nor released yet
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
  // Where an add() began, to undo all it wrote when any of it fails.
  struct AddStart {
    std::uint64_t seq = 0;   // the active segment then
    std::uint64_t size = 0;  // its size then
    std::uint64_t first_id = 0;
    RecordFrameEncoder::Mark mark;
  };

  void recover();
  // Cuts back everything add() wrote since `start` (files and index).
  void undo_add(const AddStart& start);
  // Counts and latches a failed fsync of the active file: the next write starts a new file.
  std::error_code latch_sync_failure(const std::string& path, std::error_code ec);
  void set_latched(bool latched);
  // The fsync of a segment file (through the test seam).
  std::error_code sync_file(SegmentAppender& file);
  // Before a write: leaves the active file if an fsync of it failed.
  std::error_code leave_failed_file();
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
  // Reads the live entries above after_id that `wanted` accepts (all when null), bounded.
  std::vector<DeadLetterEntry> collect(std::uint64_t after_id, std::size_t limit,
                                       std::uint64_t max_bytes, bool skip_in_flight,
                                       const std::function<bool(std::uint32_t)>& wanted) const;
  EntryRef* find_ref(std::uint64_t id);
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
  std::uint64_t in_flight_ = 0;
  bool rotate_before_write_ = false;  // the active file's fsync failed: write no more to it
  bool latched_ = false;
  HealthRegistry* health_ = nullptr;
};

}  // namespace lc
