#include "sinks/file_store/file_store_sink.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/health_registry.hpp"
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
// Under `fsync: interval`, an fsync comes early once this much waits for one: it bounds the
// memory that keeps those bytes until then, to be written again should the fsync fail. Within
// the retained buffer with a write piece to spare: a buffer that is freed and grown again at
// each fsync costs more CPU than everything else the store does (measured: 10x the agent's
// CPU per line in json-file mode).
constexpr std::size_t kMaxUnsyncedBytes =
    kMaxRetainedStoreBufferBytes - kWriteChunkBytes - kWriteChunkSlackBytes;
const std::string kHealthComponent = "sink.file_store.durability";
constexpr auto kStoreErrorLogInterval = std::chrono::seconds(10);

[[noreturn]] void throw_system_error(std::error_code ec, const std::string& what) {
  throw std::system_error(ec, "file store: " + what);
}

}  // namespace

FileStoreSink::FileStoreSink(const FileStoreOptions& config, std::string directory,
                             MetricsRegistry& metrics, FileSync& file_sync)
    : config_(config),
      files_(std::move(directory)),
      file_sync_(file_sync),
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
      fsync_failures_(metrics.counter(
          "log_capturer_file_store_fsync_failures_total",
          "Failed fsyncs of store data files; each one's unsynced bytes are written again into "
          "a new file, and checkpoints wait until that is synced.")),
      rewrites_(metrics.counter("log_capturer_file_store_fsync_rewrites_total",
                                "New store files holding again what a failed fsync may have "
                                "lost, written and synced.")),
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
  if (poisoned_) {
    if (auto ec = rewrite_after_fsync_failure()) return fail("rewrite after a failed fsync", ec);
  }
  if (!active_.is_open()) {
    if (auto ec = reopen_after_failure()) return fail("reopen", ec);
  }
  // Encoded after the unsynced bytes kept from earlier batches and written a piece at a time;
  // each piece ends where the file reaches a multiple of kWriteChunkBytes (the rest of the
  // record that crosses it goes first in the next piece). Writes that fill aligned ranges let
  // the page cache hold the store in large folios, cheaper to fill, write back and drop than
  // the small ones unaligned writes leave.
  std::size_t kept = unsynced_bytes_.size();  // from earlier batches, not yet fsynced
  bool synced_in_batch_failed = false;
  std::size_t sent = kept;  // unsynced_bytes_ before this offset are in the file
  std::uint64_t written = 0;
  std::error_code ec;
  // Once, at its retained size, when it keeps bytes until an fsync: growing it by doubling
  // after every fsync copied and faulted in megabytes per batch.
  unsynced_bytes_.reserve(std::max(kept + kWriteChunkBytes + kWriteChunkSlackBytes,
                                   keeps_unsynced_bytes() ? kMaxRetainedStoreBufferBytes : 0));
  std::size_t next = 0;
  while (!ec && (next < batch.size() || sent < unsynced_bytes_.size())) {
    const std::size_t room = kWriteChunkBytes - (active_size_ + written) % kWriteChunkBytes;
    while (next < batch.size() && unsynced_bytes_.size() - sent < room) {
      encoder_.append(unsynced_bytes_, batch[next++]);
    }
    // Normally up to the boundary; past a record larger than a piece, every whole piece.
    const std::size_t ready = unsynced_bytes_.size() - sent;
    std::size_t piece = std::min(ready, room);
    if (ready > room) piece = room + (ready - room) / kWriteChunkBytes * kWriteChunkBytes;
    ec = active_.append(std::string_view(unsynced_bytes_.data() + sent, piece));
    if (ec) break;
    written += piece;
    sent += piece;
    if (!keeps_unsynced_bytes()) {  // nothing to write again: keep only the unsent rest
      unsynced_bytes_.erase(0, sent);
      sent = 0;
    } else if (sent >= kMaxUnsyncedBytes) {
      // A batch encodes to several times its record bytes: an fsync within it keeps the bytes
      // waiting for one within the retained buffer. Everything before it is then durable.
      ec = sync_file(active_, active_seq_, active_size_ + written);
      if (ec) {
        synced_in_batch_failed = true;
        break;
      }
      unsynced_bytes_.erase(0, sent);
      sent = 0;
      kept = 0;
      last_sync_ = Clock::now();
    }
  }
  const char* failed_step = synced_in_batch_failed ? "fsync" : "write";
  if (!ec && config_.fsync == FileStoreOptions::Fsync::kEveryBatch) {
    ec = sync_active(active_size_ + written);
    failed_step = "fsync";
  }
  if (ec) {
    unsynced_bytes_.resize(keeps_unsynced_bytes() ? kept : 0);  // the batch is retried whole
    // No partial record may remain: cut back to the last delivered batch.
    if (active_.truncate(active_size_)) active_.close();  // retried by reopen_after_failure()
    return fail(failed_step, ec);
  }

  active_size_ += written;
  bytes_on_disk_.add(static_cast<std::int64_t>(written));
  records_written_.inc(batch.size());
  bytes_written_.inc(written);
  batches_.inc();
  if (config_.fsync == FileStoreOptions::Fsync::kInterval &&
      (Clock::now() - last_sync_ >= config_.fsync_interval ||
       unsynced_bytes_.size() >= kMaxUnsyncedBytes)) {
    // The batch is delivered either way: a failure keeps its bytes to be written again, and
    // flush() lets no checkpoint count on them until that is done.
    if (auto sync_ec = sync_active(active_size_)) fail("fsync", sync_ec);
  }
  if (!poisoned_ && active_size_ >= config_.max_file_bytes) rotate();
  if (unsynced_bytes_.empty() && unsynced_bytes_.capacity() > kMaxRetainedStoreBufferBytes) {
    unsynced_bytes_.shrink_to_fit();
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

std::error_code FileStoreSink::sync_file(StoreFile& file, std::uint64_t seq, std::uint64_t size) {
  if (auto ec = file.sync(file_sync_)) {
    latch_fsync_failure(files_.path_of(seq), size, ec);
    return ec;
  }
  fsyncs_.inc();
  return {};
}

std::error_code FileStoreSink::sync_active(std::uint64_t file_size) {
  if (auto ec = sync_file(active_, active_seq_, file_size)) return ec;
  unsynced_bytes_.clear();
  last_sync_ = Clock::now();
  return {};
}

void FileStoreSink::latch_fsync_failure(const std::string& path, std::uint64_t file_size,
                                        std::error_code ec) {
  fsync_failures_.inc();
  if (!poisoned_) {
    poisoned_ = true;
    poisoned_from_ = file_size - std::min<std::uint64_t>(unsynced_bytes_.size(), file_size);
  }
  spdlog::error(
      "file store: fsync of {} failed: {}; the kernel may have dropped what it held since the "
      "last good fsync ({} bytes): they go into a new file, and checkpoints wait until it is "
      "synced",
      path, ec.message(), unsynced_bytes_.size());
  set_health(false, "fsync of " + path + " failed: " + ec.message());
}

void FileStoreSink::flush() {
  std::lock_guard lock(mutex_);
  if (config_.fsync == FileStoreOptions::Fsync::kNever) return;
  if (poisoned_) {
    if (auto ec = rewrite_after_fsync_failure()) {
      fail("rewrite after a failed fsync", ec);
      throw std::system_error(ec, "file store: data whose fsync failed is not written again yet");
    }
    return;
  }
  if (unsynced_bytes_.empty()) return;
  if (!active_.is_open()) {
    if (auto ec = reopen_after_failure()) {
      fail("reopen", ec);
      throw std::system_error(ec, "file store: cannot reopen the file to fsync it");
    }
  }
  if (auto ec = sync_active(active_size_)) {
    fail("fsync", ec);
    // Checkpoints must not be saved over data that may not be on disk.
    throw std::system_error(ec, "file store: fsync failed");
  }
}

std::error_code FileStoreSink::rewrite_after_fsync_failure() {
  if (auto ec = cut_poisoned_file()) return ec;
  const std::uint64_t next_seq = active_seq_ + 1;
  StoreFile next;
  if (auto ec = write_new_file(next_seq, next)) {
    next.close();
    files_.remove(next_seq);  // a fresh file next time: this one's pages are suspect too
    return ec;
  }
  spdlog::info("file store: wrote again into {} the {} bytes a failed fsync of {} may have lost",
               files_.path_of(next_seq), unsynced_bytes_.size(), files_.path_of(active_seq_));
  active_ = std::move(next);
  active_seq_ = next_seq;
  active_size_ = unsynced_bytes_.size();
  // The checkpoint cursor follows the bytes it stood after into the new file.
  if (group_boundary_.file_seq == next_seq - 1 && group_boundary_.offset > poisoned_from_) {
    group_boundary_ = {next_seq, group_boundary_.offset - poisoned_from_};
  }
  bytes_on_disk_.add(static_cast<std::int64_t>(active_size_));
  unsynced_bytes_.clear();
  last_sync_ = Clock::now();
  poisoned_ = false;
  rewrites_.inc();
  rotations_.inc();
  set_health(true, {});
  apply_retention();
  return {};
}

std::error_code FileStoreSink::cut_poisoned_file() {
  // Only what a good fsync proved stays, and the cut is made durable: the bytes after it go
  // into the next file, and store recovery after a restart must not find them twice.
  if (!active_.is_open()) {
    if (auto ec = reopen_after_failure()) return ec;
  }
  if (auto ec = active_.truncate(poisoned_from_)) return ec;
  if (active_size_ > poisoned_from_) {
    bytes_on_disk_.sub(static_cast<std::int64_t>(active_size_ - poisoned_from_));
    active_size_ = poisoned_from_;
  }
  return sync_file(active_, active_seq_, poisoned_from_);
}

std::error_code FileStoreSink::write_new_file(std::uint64_t seq, StoreFile& file) {
  const std::string path = files_.path_of(seq);
  if (auto ec = file.open(path)) return ec;
  if (auto ec = file.truncate(0)) return ec;
  if (auto ec = file.append(unsynced_bytes_)) return ec;
  if (auto ec = sync_file(file, seq, unsynced_bytes_.size())) return ec;
  return files_.sync_directory();
}

FileStoreSink::~FileStoreSink() {
  if (health_ != nullptr) health_->remove(kHealthComponent);
}

void FileStoreSink::report_health_to(HealthRegistry& health) {
  std::lock_guard lock(mutex_);
  health_ = &health;
  health_->set(kHealthComponent, !poisoned_, poisoned_ ? "an fsync failed" : "");
}

void FileStoreSink::set_health(bool healthy, std::string detail) {
  if (health_ != nullptr) health_->set(kHealthComponent, healthy, std::move(detail));
}

void FileStoreSink::rotate() {
  const bool durable = keeps_unsynced_bytes();
  // flush() can no longer reach this file once it is closed. A failure leaves it active (and
  // poisoned): the rewrite starts the next file.
  if (durable && !unsynced_bytes_.empty()) {
    if (auto ec = sync_active(active_size_)) {
      fail("fsync", ec);
      return;
    }
  }
  const std::uint64_t next_seq = active_seq_ + 1;
  StoreFile next;
  if (auto ec = next.open(files_.path_of(next_seq))) {
    fail("creating the next file", ec);  // keep appending here; rotation is retried next batch
    return;
  }
  if (durable) {
    if (auto ec = files_.sync_directory()) {
      fail("fsync of the directory", ec);  // the new name may not last: retried next batch
      return;
    }
  }
  std::uint64_t next_size = 0;
  next.size(next_size);
  active_ = std::move(next);
  active_seq_ = next_seq;
  active_size_ = next_size;
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
