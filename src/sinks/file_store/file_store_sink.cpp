#include "sinks/file_store/file_store_sink.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "sinks/file_store/store_file_scanner.hpp"

namespace lc {
namespace {

const MetricLabels kSinkLabel = {{"sink", "file_store"}};
// A batch is encoded and written in pieces of about this size.
constexpr std::size_t kWriteChunkBytes = 256u << 10;
// Room reserved beyond it for the record that crosses it: the buffer never doubles for one.
constexpr std::size_t kWriteChunkSlackBytes = 16u << 10;
// A huge record must not pin its buffer for the agent's lifetime.
constexpr std::size_t kMaxRetainedStoreBufferBytes = 4u << 20;
constexpr auto kStoreErrorLogInterval = std::chrono::seconds(10);

[[noreturn]] void throw_system_error(std::error_code ec, const std::string& what) {
  throw std::system_error(ec, "file store: " + what);
}

}  // namespace

FileStoreSink::FileStoreSink(const FileStoreConfig& config, std::string directory,
                             MetricsRegistry& metrics)
    : config_(config),
      files_(std::move(directory)),
      records_written_(metrics.counter("log_capturer_sink_records_written_total",
                                       "Records a sink delivered.", kSinkLabel)),
      bytes_written_(metrics.counter("log_capturer_sink_bytes_written_total",
                                     "Encoded bytes a sink delivered.", kSinkLabel)),
      write_errors_(metrics.counter("log_capturer_sink_write_errors_total",
                                    "Failed sink operations (batch writes, fsyncs, file creation).",
                                    kSinkLabel)),
      batches_(metrics.counter("log_capturer_sink_batches_total", "Batches a sink delivered.",
                               kSinkLabel)),
      rotations_(metrics.counter("log_capturer_file_store_rotations_total",
                                 "New store files started because the active one was full.")),
      files_deleted_(metrics.counter("log_capturer_file_store_files_deleted_total",
                                     "Store files deleted by retention (max_files).")),
      fsyncs_(metrics.counter("log_capturer_file_store_fsyncs_total",
                              "fsync calls on store data files.")),
      bytes_on_disk_(metrics.gauge("log_capturer_file_store_bytes",
                                   "Bytes of records on disk across all store files.")) {
  static constexpr std::array<const char*, static_cast<std::size_t>(ErrorKind::kCount)> kKinds{
      "disk_full", "write", "fsync", "open", "rotate"};
  for (std::size_t kind = 0; kind < kKinds.size(); ++kind) {
    errors_by_kind_[kind] = &metrics.counter(
        "log_capturer_file_store_errors_total",
        "File store operations that failed, by kind: disk_full (any operation, ENOSPC or "
        "EDQUOT), write, fsync, open (reopening after a failure), rotate (creating the next file).",
        {{"sink", name_}, {"kind", kKinds[kind]}});
  }
  if (auto ec = files_.create_directory()) {
    throw_system_error(ec, "cannot create directory " + files_.directory());
  }
  std::error_code ec;
  const std::vector<std::uint64_t> seqs = files_.list(ec);
  if (ec) throw_system_error(ec, "cannot list directory " + files_.directory());
  open_active(seqs.empty() ? 1 : seqs.back());
  cut_torn_tail();
  std::uint64_t total = active_size_;
  for (const std::uint64_t seq : seqs) {
    if (seq != active_seq_) total += files_.file_size(seq);
  }
  bytes_on_disk_.set(static_cast<std::int64_t>(total));
  if (active_size_ >= config_.max_file_bytes) rotate();
  group_boundary_ = {active_seq_, active_size_};  // what is stored already is recovered whole
  apply_retention();
}

void FileStoreSink::open_active(std::uint64_t seq) {
  const std::string path = files_.path_of(seq);
  if (auto ec = active_.open(path)) throw_system_error(ec, "cannot open " + path);
  std::uint64_t size = 0;
  if (auto ec = active_.size(size)) throw_system_error(ec, "cannot stat " + path);
  active_seq_ = seq;
  active_size_ = size;
}

void FileStoreSink::cut_torn_tail() {
  std::uint64_t removed = 0;
  if (auto ec = active_.truncate_torn_tail(removed)) {
    spdlog::error("file store: cannot check the last line of {}: {}", files_.path_of(active_seq_),
                  ec.message());
    return;
  }
  if (removed == 0) return;
  spdlog::warn("file store: cut a torn last line ({} bytes) from {}: a crash interrupted a write",
               removed, files_.path_of(active_seq_));
  active_size_ -= std::min(removed, active_size_);
  bytes_on_disk_.sub(static_cast<std::int64_t>(removed));
}

boost::asio::awaitable<SinkWriteOutcome> FileStoreSink::write(std::span<const LogRecord> batch) {
  // Blocking file I/O inline: the sink runs on its own thread.
  co_return write_batch(batch);
}

SinkWriteOutcome FileStoreSink::write_batch(std::span<const LogRecord> batch) {
  if (batch.empty()) return SinkWriteOutcome::delivered();
  std::lock_guard lock(mutex_);
  if (!active_.is_open()) {
    if (auto ec = reopen_after_failure()) return fail("reopen", ec);
  }
  // Encoded and written a piece at a time, so the buffer stays small whatever the batch; each
  // piece ends where the file reaches a multiple of kWriteChunkBytes (the rest of the record
  // that crosses it goes first in the next piece). Writes that fill aligned ranges let the
  // page cache hold the store in large folios, cheaper to fill, write back and drop than the
  // small ones unaligned writes leave.
  std::uint64_t written = 0;
  std::error_code ec;
  buffer_.clear();
  buffer_.reserve(kWriteChunkBytes + kWriteChunkSlackBytes);
  std::size_t next = 0;
  while (!ec && (next < batch.size() || !buffer_.empty())) {
    const std::size_t room = kWriteChunkBytes - (active_size_ + written) % kWriteChunkBytes;
    while (next < batch.size() && buffer_.size() < room) encoder_.append(buffer_, batch[next++]);
    // Normally up to the boundary; past a record larger than a piece, every whole piece.
    std::size_t piece = std::min(buffer_.size(), room);
    if (buffer_.size() > room) {
      piece = room + (buffer_.size() - room) / kWriteChunkBytes * kWriteChunkBytes;
    }
    ec = active_.append(std::string_view(buffer_.data(), piece));
    if (ec) break;
    written += piece;
    buffer_.erase(0, piece);
  }
  const char* failed_step = "write";
  if (!ec && config_.fsync == FileStoreConfig::Fsync::kEveryBatch) {
    unsynced_ = true;
    sync_active(ec);
    failed_step = "fsync";
  }
  if (ec) {
    // No partial record may remain: cut back to the last delivered batch.
    if (active_.truncate(active_size_)) active_.close();  // retried by reopen_after_failure()
    return fail(failed_step, ec);
  }

  active_size_ += written;
  bytes_on_disk_.add(static_cast<std::int64_t>(written));
  records_written_.inc(batch.size());
  bytes_written_.inc(written);
  batches_.inc();
  if (config_.fsync == FileStoreConfig::Fsync::kInterval) {
    unsynced_ = true;
    if (Clock::now() - last_sync_ >= config_.fsync_interval) {
      std::error_code sync_ec;
      sync_active(sync_ec);
      if (sync_ec) fail("fsync", sync_ec);  // the batch is written; durability comes later
    }
  }
  if (active_size_ >= config_.max_file_bytes) rotate();
  if (buffer_.capacity() > kMaxRetainedStoreBufferBytes) {
    buffer_.clear();
    buffer_.shrink_to_fit();
  }
  return SinkWriteOutcome::delivered();
}

std::error_code FileStoreSink::reopen_after_failure() {
  files_.create_directory();  // it may have been removed under us; open() reports the rest
  const std::string path = files_.path_of(active_seq_);
  if (auto ec = active_.open(path)) return ec;
  std::uint64_t size = 0;
  if (auto ec = active_.size(size)) {
    active_.close();
    return ec;
  }
  if (size > active_size_) {
    if (auto ec = active_.truncate(active_size_)) {
      active_.close();
      return ec;
    }
  } else if (size < active_size_) {
    spdlog::warn("file store: {} shrank from {} to {} bytes outside the agent", path, active_size_,
                 size);
    bytes_on_disk_.sub(static_cast<std::int64_t>(active_size_ - size));
    active_size_ = size;
  }
  return {};
}

SinkWriteOutcome FileStoreSink::fail(std::string_view what, std::error_code ec) {
  write_errors_.inc();
  ErrorKind kind = ErrorKind::kWrite;
  const bool os_error =
      ec.category() == std::system_category() || ec.category() == std::generic_category();
  if (ec == std::errc::no_space_on_device || (os_error && ec.value() == EDQUOT)) {
    kind = ErrorKind::kDiskFull;
  } else if (what.starts_with("fsync")) {
    kind = ErrorKind::kFsync;
  } else if (what == "reopen") {
    kind = ErrorKind::kOpen;
  } else if (what.starts_with("creating")) {
    kind = ErrorKind::kRotate;
  }
  errors_by_kind_[static_cast<std::size_t>(kind)]->inc();
  const auto now = Clock::now();
  if (last_error_log_ == Clock::time_point{} || now - last_error_log_ >= kStoreErrorLogInterval) {
    const std::string suppressed =
        suppressed_errors_ == 0
            ? std::string()
            : fmt::format(" ({} more errors since the last report)", suppressed_errors_);
    spdlog::error("file store: {} of {} failed: {}{}; the batch will be retried", what,
                  files_.path_of(active_seq_), ec.message(), suppressed);
    last_error_log_ = now;
    suppressed_errors_ = 0;
  } else {
    ++suppressed_errors_;
  }
  return SinkWriteOutcome::retry(fmt::format("file store {} failed: {}", what, ec.message()));
}

void FileStoreSink::sync_active(std::error_code& ec) {
  ec = active_.sync();
  if (ec) return;
  fsyncs_.inc();
  unsynced_ = false;
  last_sync_ = Clock::now();
}

void FileStoreSink::flush() {
  std::lock_guard lock(mutex_);
  if (config_.fsync == FileStoreConfig::Fsync::kNever || !unsynced_ || !active_.is_open()) return;
  std::error_code ec;
  sync_active(ec);
  if (ec) {
    fail("fsync", ec);
    // Checkpoints must not be saved over data that may not be on disk.
    throw std::system_error(ec, "file store: fsync failed");
  }
}

void FileStoreSink::rotate() {
  const std::uint64_t next_seq = active_seq_ + 1;
  StoreFile next;
  if (auto ec = next.open(files_.path_of(next_seq))) {
    fail("creating the next file", ec);  // keep appending here; rotation is retried next batch
    return;
  }
  const bool durable = config_.fsync != FileStoreConfig::Fsync::kNever;
  if (durable && unsynced_) {
    std::error_code ec;
    sync_active(ec);  // flush() can no longer reach this file once it is closed
    if (ec) fail("fsync", ec);
  }
  if (durable) {
    if (auto ec = files_.sync_directory()) fail("fsync of the directory", ec);
  }
  std::uint64_t next_size = 0;
  next.size(next_size);
  active_ = std::move(next);
  active_seq_ = next_seq;
  active_size_ = next_size;
  unsynced_ = false;
  rotations_.inc();
  apply_retention();
}

void FileStoreSink::apply_retention() {
  std::error_code ec;
  const std::vector<std::uint64_t> seqs = files_.list(ec);
  if (ec) {
    spdlog::error("file store: cannot list {} for retention: {}", files_.directory(), ec.message());
    return;
  }
  const std::size_t keep = std::max<std::uint32_t>(config_.max_files, 1);
  std::size_t present = seqs.size();
  for (const std::uint64_t seq : seqs) {
    if (present <= keep || seq >= active_seq_) break;
    const std::uint64_t size = files_.file_size(seq);
    if (auto remove_ec = files_.remove(seq)) {
      spdlog::error("file store: cannot delete {} (retention): {}", files_.path_of(seq),
                    remove_ec.message());
      break;
    }
    bytes_on_disk_.sub(static_cast<std::int64_t>(size));
    files_deleted_.inc();
    --present;
  }
}

StoreCursor FileStoreSink::cursor() const {
  std::lock_guard lock(mutex_);
  return {active_seq_, active_size_};
}

void FileStoreSink::at_group_boundary() {
  std::lock_guard lock(mutex_);
  group_boundary_ = {active_seq_, active_size_};
}

StoreCursor FileStoreSink::checkpoint_cursor() const {
  std::lock_guard lock(mutex_);
  return group_boundary_;
}

void FileStoreSink::scan_since(const StoreCursor& from, const StoreRecordVisitor& visit) {
  std::lock_guard lock(mutex_);
  if (active_.is_open() || !reopen_after_failure()) cut_torn_tail();
  std::error_code ec;
  const std::vector<std::uint64_t> seqs = files_.list(ec);
  if (ec) {
    spdlog::error("file store: cannot list {} for recovery: {}", files_.directory(), ec.message());
    return;
  }
  for (const std::uint64_t seq : seqs) {
    if (seq < from.file_seq) continue;
    const std::uint64_t offset = seq == from.file_seq ? from.offset : 0;
    const std::string path = files_.path_of(seq);
    const StoreScanResult result = scan_store_file(path, offset, visit);
    if (result.error) {
      spdlog::error("file store: cannot read {} for recovery: {}", path, result.error.message());
    }
    if (result.bad_lines > 0) {
      spdlog::warn("file store: skipped {} lines of {} that are not store records",
                   result.bad_lines, path);
    }
  }
}

}  // namespace lc
