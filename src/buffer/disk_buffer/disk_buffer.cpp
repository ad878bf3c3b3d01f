#include "buffer/disk_buffer/disk_buffer.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "buffer/disk_buffer/segment_recovery.hpp"

namespace lc {
namespace {

constexpr std::uint64_t kMinDiskBufferSegmentBytes = 4096;
// A huge batch must not pin its encoding buffer for the agent's lifetime.
constexpr std::size_t kMaxRetainedDiskBufferBytes = 16u << 20;
constexpr auto kDiskBufferErrorLogInterval = std::chrono::seconds(10);
constexpr const char* kStateFileName = "committed.json";

const DiskBufferOptions& validated(const DiskBufferOptions& options) {
  if (options.directory.empty()) throw std::invalid_argument("disk buffer: no directory given");
  if (options.max_segment_bytes < kMinDiskBufferSegmentBytes) {
    throw std::invalid_argument(
        fmt::format("disk buffer: max_segment_bytes ({}) must be at least {}",
                    options.max_segment_bytes, kMinDiskBufferSegmentBytes));
  }
  if (options.max_total_bytes / 2 < options.max_segment_bytes) {
    throw std::invalid_argument(fmt::format(
        "disk buffer: max_total_bytes ({}) must be at least twice max_segment_bytes ({})",
        options.max_total_bytes, options.max_segment_bytes));
  }
  return options;
}

bool is_record_frame(std::string_view payload) {
  return !payload.empty() && payload[0] == static_cast<char>(FrameType::kRecord);
}

}  // namespace

DiskBuffer::DiskBuffer(DiskBufferOptions options, MetricsRegistry& metrics, FileSync& file_sync)
    : options_(validated(options)),
      owner_(fmt::format("disk buffer (sink {})", options_.sink_name)),
      directory_(options_.directory),
      state_(options_.directory + "/" + kStateFileName),
      metrics_(metrics, options_.sink_name),
      file_sync_(file_sync) {
  if (auto ec = directory_.create()) {
    throw std::system_error(ec, owner_ + ": cannot create directory " + directory_.path());
  }
  recover();
  if (auto ec = start_segment()) {
    throw std::system_error(ec, owner_ + ": cannot create a segment in " + directory_.path());
  }
  update_gauges();
}

DiskBuffer::~DiskBuffer() { flush(); }

void DiskBuffer::recover() {
  std::error_code ec;
  const std::vector<std::uint64_t> seqs = directory_.list(ec);
  if (ec) throw std::system_error(ec, owner_ + ": cannot list " + directory_.path());
  const std::optional<SegmentPosition> saved = state_.load();
  for (const std::uint64_t seq : seqs) {
    if (saved && seq < saved->segment) {
      directory_.remove(seq);  // fully committed; the crash came before its deletion
      continue;
    }
    const std::uint64_t from = saved && seq == saved->segment ? saved->offset : 0;
    std::uint64_t records = 0;
    const SegmentRecovery found =
        recover_segment(directory_, seq, SegmentKind::kDiskBuffer, owner_,
                        [&](std::uint64_t offset, std::string_view payload) {
                          if (offset >= from && is_record_frame(payload)) ++records;
                        });
    if (!count_recovery(found, directory_.path_of(seq), owner_, metrics_.corrupt_truncations,
                        metrics_.corrupt_skips)) {
      continue;
    }
    if (found.valid_bytes <= SegmentHeader::kSize) {
      directory_.remove(seq);  // no frames: nothing to keep
      continue;
    }
    segments_.push_back({seq, found.valid_bytes});
    total_bytes_ += found.valid_bytes;
    pending_records_ += records;
  }
  unread_from_previous_run_ = pending_records_;
  if (segments_.empty()) return;
  // Resume at the saved position, or at the oldest record when it is gone or unknown.
  committed_.position = {segments_.front().seq, SegmentHeader::kSize};
  if (saved) {
    for (const Segment& segment : segments_) {
      if (segment.seq < saved->segment) continue;
      committed_.position.segment = segment.seq;
      if (segment.seq == saved->segment) {
        committed_.position.offset = std::clamp(saved->offset, SegmentHeader::kSize, segment.bytes);
      }
      break;
    }
  }
  read_ = committed_;
  if (pending_records_ > 0) {
    spdlog::info("{}: {} records from a previous run to deliver ({} bytes in {} segments)", owner_,
                 pending_records_, total_bytes_, segments_.size());
  }
}

std::error_code DiskBuffer::start_segment() {
  const std::uint64_t seq = segments_.empty() ? 1 : segments_.back().seq + 1;
  const bool durable = options_.fsync != DiskBufferOptions::Fsync::kNever;
  if (durable && unsynced_ && writer_.is_open() && !abandon_active_) {
    // flush() can no longer reach the old segment once it is closed.
    if (auto ec = sync_active()) report_write_error("fsync before starting a segment", ec);
  }
  SegmentAppender next;
  const SegmentHeader header{SegmentKind::kDiskBuffer, random_segment_salt(), 0};
  if (auto ec = next.create(directory_.path_of(seq), header)) return ec;
  if (durable) {
    if (auto ec = directory_.sync()) {
      directory_unsynced_ = true;  // flush() fails until a directory fsync succeeds
      report_write_error("fsync of the directory", ec);
    }
  }
  const bool first = segments_.empty();
  writer_ = std::move(next);
  segments_.push_back({seq, writer_.size()});
  total_bytes_ += writer_.size();
  encoder_.reset();
  unsynced_ = false;
  synced_size_ = 0;
  abandon_active_ = false;
  if (first) committed_.position = read_.position = {seq, SegmentHeader::kSize};
  drop_consumed_segments();
  return {};
}

bool DiskBuffer::encode(std::span<const LogRecord> batch) {
  write_buffer_.clear();
  for (const LogRecord& record : batch) {
    if (!encoder_.append_record(write_buffer_, writer_.checksum_seed(), record)) return false;
  }
  return write_buffer_.size() + SegmentHeader::kSize <= options_.max_total_bytes / 2;
}

DiskBufferAppendResult DiskBuffer::append(std::span<const LogRecord> batch) {
  using Status = DiskBufferAppendResult::Status;
  if (batch.empty()) return {};
  if (abandon_active_) {
    if (auto ec = start_segment()) {
      report_write_error("creating a segment", ec);
      return {Status::kWriteError, ec};
    }
  }
  RecordFrameEncoder::Mark mark = encoder_.mark();
  if (!encode(batch)) {
    encoder_.rollback(mark);
    return {Status::kTooLarge, {}};
  }
  const Segment* active = &segments_.back();
  if (active->bytes > SegmentHeader::kSize &&
      active->bytes + write_buffer_.size() > options_.max_segment_bytes) {
    if (auto ec = start_segment()) {
      encoder_.rollback(mark);
      report_write_error("creating a segment", ec);
      return {Status::kWriteError, ec};
    }
    mark = encoder_.mark();
    encode(batch);  // again: the new segment defines its containers anew
    active = &segments_.back();
  }
  if (total_bytes_ + write_buffer_.size() > options_.max_total_bytes) {
    encoder_.rollback(mark);
    metrics_.appends_refused.inc();
    return {Status::kFull, {}};
  }
  const std::uint64_t size_before = writer_.size();
  std::error_code ec = writer_.append(write_buffer_);
  if (!ec) {
    unsynced_ = true;
    ec = sync_by_policy();
    if (ec) writer_.cut_back(size_before);  // acknowledged means durable under this policy
  }
  if (ec) {
    encoder_.rollback(mark);
    report_write_error("append", ec);
    return {Status::kWriteError, ec};
  }
  segments_.back().bytes = writer_.size();
  total_bytes_ += write_buffer_.size();
  pending_records_ += batch.size();
  metrics_.records_appended.inc(batch.size());
  update_gauges();
  if (write_buffer_.capacity() > kMaxRetainedDiskBufferBytes) {
    write_buffer_.clear();
    write_buffer_.shrink_to_fit();
  }
  return {};
}

bool DiskBuffer::sync_due(Clock::time_point last_sync) const {
  switch (options_.fsync) {
    case DiskBufferOptions::Fsync::kEveryAppend:
      return true;
    case DiskBufferOptions::Fsync::kInterval:
      return Clock::now() - last_sync >= options_.fsync_interval;
    case DiskBufferOptions::Fsync::kNever:
      return false;
  }
  return false;
}

std::error_code DiskBuffer::sync_by_policy() {
  if (!sync_due(last_sync_)) return {};
  return sync_active();
}

std::error_code DiskBuffer::sync_active() {
  if (auto ec = writer_.sync(file_sync_)) {
    latch_fsync_failure(ec);
    return ec;
  }
  unsynced_ = false;
  synced_size_ = writer_.size();
  last_sync_ = Clock::now();
  return {};
}

void DiskBuffer::latch_fsync_failure(std::error_code ec) {
  metrics_.fsync_failures.inc();
  // Linux reports a lost writeback once: a later fsync of this segment would prove nothing.
  abandon_active_ = true;
  at_risk_segment_ = segments_.back().seq;
  at_risk_from_ = synced_size_;
  spdlog::error(
      "{}: fsync of {} failed: {}; the segment is abandoned, and checkpoints wait "
      "until the records no fsync covered there are delivered",
      owner_, writer_.path(), ec.message());
}

bool DiskBuffer::unsynced_records_at_risk() {
  if (at_risk_segment_ == 0) return false;
  const SegmentPosition& at = committed_.position;
  bool committed = at.segment > at_risk_segment_;
  if (!committed) {
    const std::uint64_t end = find_segment(at_risk_segment_).bytes;
    committed = at_risk_from_ >= end || (at.segment == at_risk_segment_ && at.offset >= end);
  }
  if (committed) at_risk_segment_ = 0;
  return !committed;
}

std::error_code DiskBuffer::flush() {
  if (options_.fsync == DiskBufferOptions::Fsync::kNever) return {};
  if (directory_unsynced_) {
    if (auto ec = directory_.sync()) {
      report_write_error("fsync of the directory", ec);
      return ec;
    }
    directory_unsynced_ = false;
  }
  if (unsynced_ && !abandon_active_) {
    if (auto ec = sync_active()) {
      report_write_error("fsync", ec);
      return ec;
    }
  }
  // Appended records whose fsync failed are durable only once delivered and committed.
  if (unsynced_records_at_risk()) return std::make_error_code(std::errc::io_error);
  return save_state(true);
}

std::error_code DiskBuffer::save_state(bool durable) {
  if (saved_position_ == committed_.position && (!durable || !state_unsynced_)) return {};
  if (auto ec = state_.save(committed_.position, durable)) {
    report_write_error("saving the committed position", ec);
    return ec;
  }
  saved_position_ = committed_.position;
  state_unsynced_ = !durable;
  if (durable) last_state_sync_ = Clock::now();
  return {};
}

const DiskBuffer::Segment& DiskBuffer::find_segment(std::uint64_t seq) const {
  return *std::lower_bound(segments_.begin(), segments_.end(), seq,
                           [](const Segment& s, std::uint64_t v) { return s.seq < v; });
}

const DiskBuffer::Segment& DiskBuffer::segment_after(std::uint64_t seq) const {
  return *std::upper_bound(segments_.begin(), segments_.end(), seq,
                           [](std::uint64_t v, const Segment& s) { return v < s.seq; });
}

std::error_code DiskBuffer::open_reader() {
  const SegmentPosition target = read_.position;
  if (auto ec = reader_.open(directory_.path_of(target.segment), SegmentKind::kDiskBuffer)) {
    return ec;
  }
  reader_.set_end(find_segment(target.segment).bytes);
  decoder_.reset();
  // Frames before the cursor were read before: only their container definitions matter.
  while (reader_.position() < target.offset) {
    const SegmentReader::Step step = reader_.next();
    if (step.kind == SegmentReader::Step::Kind::kError) {
      reader_.close();
      return step.error;
    }
    if (step.kind == SegmentReader::Step::Kind::kEnd) break;
    LogRecord ignored;
    if (step.kind == SegmentReader::Step::Kind::kFrame) decoder_.decode(step.payload, ignored);
  }
  return {};
}

DiskBufferBatch DiskBuffer::read_next(std::size_t max_records, std::size_t max_bytes) {
  using Kind = SegmentReader::Step::Kind;
  DiskBufferBatch batch;
  const std::uint64_t first_ordinal = read_.ordinal;
  std::size_t bytes = 0;
  while (batch.records.size() < max_records && bytes < max_bytes) {
    if (!reader_.is_open()) {
      if (auto ec = open_reader()) {
        log_error("opening a segment to read", ec);
        batch.error = ec;
        break;
      }
    }
    const std::uint64_t seq = read_.position.segment;
    reader_.set_end(find_segment(seq).bytes);  // the active segment grows
    const SegmentReader::Step step = reader_.next();
    if (step.kind == Kind::kEnd) {
      if (is_active(seq)) break;
      reader_.close();
      read_.position = {segment_after(seq).seq, SegmentHeader::kSize};
      continue;
    }
    if (step.kind == Kind::kError) {
      log_error("read", step.error);
      batch.error = step.error;
      break;
    }
    read_.position.offset = step.next_offset;
    if (step.kind != Kind::kFrame) {
      // The file changed after it was checked at start-up.
      metrics_.corrupt_skips.inc();
      spdlog::error("{}: {}: skipped {} corrupt bytes at offset {}", owner_,
                    directory_.path_of(seq), step.next_offset - step.offset, step.offset);
      continue;
    }
    LogRecord record;
    switch (decoder_.decode(step.payload, record)) {
      case RecordFrameDecoder::Result::kDefinition:
        break;
      case RecordFrameDecoder::Result::kRecord:
        ++read_.ordinal;
        bytes += record.message.size();
        batch.records.push_back(std::move(record));
        break;
      case RecordFrameDecoder::Result::kMalformed:
        if (is_record_frame(step.payload)) ++read_.ordinal;  // it was counted as pending
        metrics_.corrupt_skips.inc();
        spdlog::error("{}: {}: skipped an undecodable frame at offset {}", owner_,
                      directory_.path_of(seq), step.offset);
        break;
    }
  }
  const std::uint64_t passed = read_.ordinal - first_ordinal;
  const std::uint64_t replayed = std::min(passed, unread_from_previous_run_);
  unread_from_previous_run_ -= replayed;
  metrics_.records_replayed.inc(std::min<std::uint64_t>(replayed, batch.records.size()));
  batch.end = read_;
  return batch;
}

std::error_code DiskBuffer::commit(const DiskBufferCursor& up_to) {
  if (up_to.ordinal < committed_.ordinal || up_to.ordinal > read_.ordinal ||
      up_to.position.segment < committed_.position.segment) {
    return std::make_error_code(std::errc::invalid_argument);
  }
  pending_records_ -= std::min(pending_records_, up_to.ordinal - committed_.ordinal);
  committed_ = up_to;
  drop_consumed_segments();
  if (committed_ == read_ && is_active(read_.position.segment) &&
      read_.position.offset == segments_.back().bytes) {
    pending_records_ = 0;  // all read and acknowledged, whatever corruption hid on the way
  }
  update_gauges();
  return save_state(sync_due(last_state_sync_));
}

void DiskBuffer::drop_consumed_segments() {
  while (segments_.size() > 1) {
    const Segment& oldest = segments_.front();
    const SegmentPosition& at = committed_.position;
    const bool consumed =
        at.segment > oldest.seq || (at.segment == oldest.seq && at.offset >= oldest.bytes);
    if (!consumed) break;
    if (auto ec = directory_.remove(oldest.seq)) {
      report_write_error("deleting a consumed segment", ec);
      break;
    }
    const std::uint64_t next = segments_[1].seq;
    if (at.segment == oldest.seq) committed_.position = {next, SegmentHeader::kSize};
    if (read_.position.segment == oldest.seq) {
      read_.position = {next, SegmentHeader::kSize};
      reader_.close();
    }
    total_bytes_ -= oldest.bytes;
    segments_.pop_front();
  }
}

void DiskBuffer::report_write_error(const char* what, std::error_code ec) {
  metrics_.write_errors.inc();
  log_error(what, ec);
}

void DiskBuffer::log_error(const char* what, std::error_code ec) {
  const auto now = Clock::now();
  if (last_error_log_ != Clock::time_point{} &&
      now - last_error_log_ < kDiskBufferErrorLogInterval) {
    ++suppressed_errors_;
    return;
  }
  const std::string suppressed =
      suppressed_errors_ == 0
          ? std::string()
          : fmt::format(" ({} more errors since the last report)", suppressed_errors_);
  spdlog::error("{}: {} in {} failed: {}{}", owner_, what, directory_.path(), ec.message(),
                suppressed);
  last_error_log_ = now;
  suppressed_errors_ = 0;
}

void DiskBuffer::update_gauges() {
  metrics_.bytes.set(static_cast<std::int64_t>(total_bytes_));
  metrics_.records_pending.set(static_cast<std::int64_t>(pending_records_));
}

}  // namespace lc
