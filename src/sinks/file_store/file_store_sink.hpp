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

#include "config/agent_config.hpp"
#include "core/store_cursor.hpp"
#include "metrics/metrics_registry.hpp"
#include "sinks/file_store/ndjson_record_encoder.hpp"
#include "sinks/file_store/store_file.hpp"
#include "sinks/file_store/store_file_scanner.hpp"
#include "sinks/file_store/store_file_set.hpp"
#include "sinks/sink.hpp"

namespace lc {

// The default sink: NDJSON files in a local directory, rotated by size and kept by count
// (docs/file-store.md). A batch is written with one write() and is never split between files;
// a failed write is truncated away, so no partial record ever remains.
// Thread-safe: write(), flush(), cursor() and scan_since() may be called from different threads.
class FileStoreSink : public Sink {
 public:
  // Creates `directory` if missing and opens the active (highest-seq) file after cutting a torn
  // last line. Throws std::system_error when the directory or file cannot be opened.
  FileStoreSink(const FileStoreConfig& config, std::string directory, MetricsRegistry& metrics);

  const std::string& name() const override { return name_; }
  boost::asio::awaitable<SinkWriteOutcome> write(std::span<const LogRecord> batch) override;
  // fsyncs the active file if anything was written since the last fsync (not under kNever,
  // where durability is left to the OS).
  void flush() override;

  void at_group_boundary() override;

  // The position just after the last delivered batch.
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
  void sync_active(std::error_code& ec);
  void sync_by_policy_after_write();
  void rotate();
  void apply_retention();

  const FileStoreConfig config_;
  const std::string name_ = "file_store";
  StoreFileSet files_;
  NdjsonRecordEncoder encoder_;
  std::string buffer_;  // one batch's lines, reused

  mutable std::mutex mutex_;
  StoreFile active_;
  std::uint64_t active_seq_ = 1;
  std::uint64_t active_size_ = 0;  // bytes of complete, delivered batches in the active file
  StoreCursor group_boundary_;     // see checkpoint_cursor()
  bool unsynced_ = false;          // written since the last fsync
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
  Gauge& bytes_on_disk_;
};

}  // namespace lc
