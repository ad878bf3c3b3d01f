#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "buffer/disk_buffer/committed_position_file.hpp"
#include "buffer/disk_buffer/disk_buffer_metrics.hpp"
#include "buffer/disk_buffer/record_codec.hpp"
#include "buffer/disk_buffer/segment_appender.hpp"
#include "buffer/disk_buffer/segment_directory.hpp"
#include "buffer/disk_buffer/segment_reader.hpp"
#include "core/file_sync.hpp"
#include "core/log_record.hpp"
#include "metrics/metrics_registry.hpp"

namespace lc {

struct DiskBufferOptions {
  enum class Fsync {
    kEveryAppend,  // fsync after every append and commit: nothing acknowledged is lost
    kInterval,     // at most every fsync_interval (and on flush()): a power loss loses that much
    kNever,        // the OS writes back when it likes
  };
  std::string directory;  // one per sink, e.g. <data_dir>/buffer/<sink>
  std::string sink_name;  // labels the metrics and names the buffer in log lines
  // Segment files on disk at most; an append beyond it is refused (the caller applies
  // backpressure). At least twice max_segment_bytes.
  std::uint64_t max_total_bytes = 1ull << 30;
  // A new segment is started when a batch would take the active one past this.
  std::uint64_t max_segment_bytes = 32ull << 20;
  Fsync fsync = Fsync::kInterval;
  std::chrono::milliseconds fsync_interval{1000};
};

// A place in the buffer's record order, as returned with a batch: commit() up to it.
struct DiskBufferCursor {
  SegmentPosition position;
  std::uint64_t ordinal = 0;  // records passed since the buffer was opened
  bool operator==(const DiskBufferCursor&) const = default;
};

struct DiskBufferBatch {
  std::vector<LogRecord> records;
  DiskBufferCursor end;   // just after the last record of the batch
  std::error_code error;  // a read failed; records holds what was read before it
};

struct DiskBufferAppendResult {
  enum class Status {
    kAppended,
    kFull,        // max_total_bytes reached: retry once commits have freed segments
    kTooLarge,    // the batch can never fit (a record over the frame limit, or the batch over
                  // half of max_total_bytes): split it or drop it
    kWriteError,  // ENOSPC, EIO...: nothing of the batch was kept; retry later
  };
  Status status = Status::kAppended;
  std::error_code error;  // kWriteError only
  bool ok() const { return status == Status::kAppended; }
};

// A sink's FIFO of records on disk, for outages longer than memory can hold
// (docs/disk-buffer.md): append-only segment files <seq>.seg in one directory, each record a
// checksummed frame. append() adds at the tail; read_next() reads from a read cursor; commit()
// after the sink acknowledged deletes fully consumed segments and saves the committed position
// atomically. A restart replays exactly the records not committed: a batch in flight at a
// crash is delivered again (at-least-once). Torn or corrupt data found at start-up is cut or
// skipped, counted and logged - never fatal. A failed fsync is never forgotten: the segment is
// abandoned, and flush() fails until what it held unsynced has been committed.
// Not thread-safe: one owner (the sink loop) calls everything; the metrics may be read anywhere.
class DiskBuffer {
 public:
  // Opens (creating if missing) the directory and recovers what it holds. Throws
  // std::invalid_argument for bad options and std::system_error when the directory or a
  // segment cannot be read or written at all.
  // `file_sync`: fsync(2), replaceable in tests.
  DiskBuffer(DiskBufferOptions options, MetricsRegistry& metrics,
             FileSync& file_sync = system_file_sync());
  // flush(): a clean stop keeps everything appended and committed (errors are logged).
  ~DiskBuffer();
  DiskBuffer(const DiskBuffer&) = delete;
  DiskBuffer& operator=(const DiskBuffer&) = delete;

  DiskBufferAppendResult append(std::span<const LogRecord> batch);
  // The next records after the read cursor (at least one when any is unread), until
  // max_records or max_bytes of message payload; moves the read cursor past them.
  DiskBufferBatch read_next(std::size_t max_records, std::size_t max_bytes);
  // Acknowledges every record before `up_to` (a batch's end). Errors (the state file could not
  // be saved) only mean a restart replays more; invalid_argument for a cursor out of order.
  std::error_code commit(const DiskBufferCursor& up_to);
  // fsyncs what was appended and committed since the last fsync (not under kNever). After a
  // failed fsync, fails until the records appended before it and not synced are committed.
  std::error_code flush();

  std::uint64_t bytes_on_disk() const { return total_bytes_; }
  std::uint64_t records_pending() const { return pending_records_; }
  const std::string& directory() const { return directory_.path(); }
  const std::string& sink_name() const { return options_.sink_name; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Segment {
    std::uint64_t seq = 0;
    std::uint64_t bytes = 0;  // where its last complete frame ends
  };

  void recover();
  std::error_code start_segment();
  bool encode(std::span<const LogRecord> batch);
  std::error_code sync_by_policy();
  std::error_code sync_active();
  void latch_fsync_failure(std::error_code ec);
  bool unsynced_records_at_risk();
  void drop_consumed_segments();
  std::error_code open_reader();
  std::error_code save_state(bool durable);
  const Segment& find_segment(std::uint64_t seq) const;   // one that exists
  const Segment& segment_after(std::uint64_t seq) const;  // seq is not the last
  bool is_active(std::uint64_t seq) const { return seq == segments_.back().seq; }
  bool sync_due(Clock::time_point last_sync) const;
  // Counted in write_errors; every error is logged, at most once per 10 s with a count.
  void report_write_error(const char* what, std::error_code ec);
  void log_error(const char* what, std::error_code ec);
  void update_gauges();

  const DiskBufferOptions options_;
  const std::string owner_;  // "disk buffer (sink x)" in log lines
  SegmentDirectory directory_;
  CommittedPositionFile state_;
  DiskBufferMetrics metrics_;

  std::deque<Segment> segments_;  // ascending seq; the last is the one written
  SegmentAppender writer_;
  RecordFrameEncoder encoder_;
  std::string write_buffer_;
  bool unsynced_ = false;  // appended since the last fsync of the active segment
  FileSync& file_sync_;
  std::uint64_t synced_size_ = 0;  // of the active segment, at its last good fsync
  // A segment whose fsync failed, and where its frames that no good fsync covered begin: not
  // durable (the kernel reports a lost writeback once), so flush() fails until they are
  // committed. at_risk_segment_ 0: none.
  std::uint64_t at_risk_segment_ = 0;
  std::uint64_t at_risk_from_ = 0;
  bool abandon_active_ = false;  // a failed fsync: the next append starts a new segment
  bool directory_unsynced_ = false;
  Clock::time_point last_sync_ = Clock::now();
  SegmentPosition saved_position_;  // in the state file
  bool state_unsynced_ = false;     // the state file was last saved without fsync
  Clock::time_point last_state_sync_ = Clock::now();

  SegmentReader reader_;  // open on read_.position.segment, at read_
  RecordFrameDecoder decoder_;
  DiskBufferCursor read_;
  DiskBufferCursor committed_;

  std::uint64_t total_bytes_ = 0;
  std::uint64_t pending_records_ = 0;
  std::uint64_t unread_from_previous_run_ = 0;
  Clock::time_point last_error_log_{};
  std::uint64_t suppressed_errors_ = 0;
};

}  // namespace lc
