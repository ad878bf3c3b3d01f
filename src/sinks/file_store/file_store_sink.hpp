#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include "core/file_sync.hpp"
#include "core/store_cursor.hpp"
#include "metrics/metrics_registry.hpp"
#include "sinks/file_store/file_store_options.hpp"
#include "sinks/file_store/ndjson_record_encoder.hpp"
#include "sinks/file_store/store_file.hpp"
#include "sinks/file_store/store_file_scanner.hpp"
#include "sinks/file_store/store_file_set.hpp"
#include "sinks/sink.hpp"

namespace lc {

class HealthRegistry;

// The default sink: NDJSON files in a local directory, rotated by size and kept by count
// (docs/file-store.md). A batch is written with one write() and is never split between files;
// a failed write is truncated away, so no partial record ever remains. A failed fsync is never
// forgotten: what the file got since its last good fsync is written again into a new file
// (docs/file-store.md, "fsync failures") before flush() lets a checkpoint count on it.
// Thread-safe: write(), flush(), cursor() and scan_since() may be called from different threads.
class FileStoreSink : public Sink {
 public:
  // Creates `directory` if missing and opens the active (highest-seq) file after cutting a torn
  // last line. Throws std::system_error when the directory or file cannot be opened.
  // `file_sync`: fsync(2), replaceable in tests.
  FileStoreSink(const FileStoreOptions& config, std::string directory, MetricsRegistry& metrics,
                FileSync& file_sync = system_file_sync());
  // Takes its health entry out of the registry: a reload that removes it leaves none behind.
  ~FileStoreSink() override;

  // Reports "sink.file_store.durability" there: unhealthy from a failed fsync until what it
  // lost is written again and synced.
  void report_health_to(HealthRegistry& health);

  const std::string& name() const override { return name_; }
  boost::asio::awaitable<SinkWriteOutcome> write(std::span<const LogRecord> batch) override;
  // fsyncs the active file if anything was written since the last fsync (not under kNever,
  // where durability is left to the OS); after a failed fsync, first writes again what it may
  // have lost. Throws std::system_error while anything delivered is not durable.
  void flush() override;

  void at_group_boundary() override;

  // The position just after the last delivered batch. Durable only once flush() succeeded.
  StoreCursor cursor() const;
  // The position after the last delivered batch that ended a group (see Sink): the records
  // before it are acknowledged, so the checkpoint's positions include them all and start-up
  // recovery reads the rest. cursor() may be past the first half of a split group.
  StoreCursor checkpoint_cursor() const;

  // Start-up recovery: cuts a torn last line of the active file, then visits, in store order,
  // every record stored after `from` (that file from that offset, then every later file).
  // Files already deleted by retention are skipped.
  void scan_since(const StoreCursor& from, const StoreRecordVisitor& visit);

  // The synchronous body of write(), for callers that are not coroutines.
  SinkWriteOutcome write_batch(std::span<const LogRecord> batch);

 private:
  using Clock = std::chrono::steady_clock;

  void open_active(std::uint64_t seq);
  std::error_code reopen_after_failure();
  void cut_torn_tail();
  SinkWriteOutcome fail(std::string_view what, std::error_code ec);
  bool keeps_unsynced_bytes() const { return config_.fsync != FileStoreOptions::Fsync::kNever; }
  // `file_size`: the active file's size with what was just written.
  // fsyncs `file` (store file `seq`, `size` bytes long); a failure is latched and counted.
  std::error_code sync_file(StoreFile& file, std::uint64_t seq, std::uint64_t size);
  std::error_code sync_active(std::uint64_t file_size);
  void latch_fsync_failure(const std::string& path, std::uint64_t file_size, std::error_code ec);
  std::error_code rewrite_after_fsync_failure();
  std::error_code cut_poisoned_file();
  std::error_code write_new_file(std::uint64_t seq, StoreFile& file);
  void set_health(bool healthy, std::string detail);
  void rotate();
  void apply_retention();

  const FileStoreOptions config_;
  const std::string name_ = "file_store";
  StoreFileSet files_;
  NdjsonRecordEncoder encoder_;
  FileSync& file_sync_;
  HealthRegistry* health_ = nullptr;

  mutable std::mutex mutex_;
  StoreFile active_;
  std::uint64_t active_seq_ = 1;
  std::uint64_t active_size_ = 0;  // bytes of complete, delivered batches in the active file
  StoreCursor group_boundary_;     // see checkpoint_cursor()
  // The bytes written to the active file since its last good fsync, kept to be written again
  // should the next fsync fail (under kNever: the batch being written, a piece at a time).
  std::string unsynced_bytes_;
  // An fsync of the active file failed: its bytes after poisoned_from_ are not trusted (the
  // kernel may have dropped them, and reports that only once) until written again elsewhere.
  bool poisoned_ = false;
  std::uint64_t poisoned_from_ = 0;
  Clock::time_point last_sync_ = Clock::now();
  Clock::time_point last_error_log_{};
  std::uint64_t suppressed_errors_ = 0;

  Counter& records_written_;
  Counter& bytes_written_;
  Counter& write_errors_;
  // log_capturer_file_store_errors_total by kind: the operation that failed, or disk_full.
  enum class ErrorKind { kDiskFull, kWrite, kFsync, kOpen, kRotate, kCount };
  std::array<Counter*, static_cast<std::size_t>(ErrorKind::kCount)> errors_by_kind_{};
  Counter& batches_;
  Counter& rotations_;
  Counter& files_deleted_;
  Counter& fsyncs_;
  Counter& fsync_failures_;
  Counter& rewrites_;
  Gauge& bytes_on_disk_;
};

}  // namespace lc
