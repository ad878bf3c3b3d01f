#include "buffer/dead_letter/dead_letter_store.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "buffer/dead_letter/dead_letter_codec.hpp"
#include "buffer/disk_buffer/segment_reader.hpp"
#include "buffer/disk_buffer/segment_recovery.hpp"
#include "core/health_registry.hpp"
#include "core/timestamp.hpp"

namespace lc {
namespace {

constexpr const char* kOwner = "dead-letter store";
constexpr std::uint64_t kMinDeadLetterSegmentBytes = 4096;
constexpr std::size_t kMaxReasonKindLength = 32;
constexpr const char* kHealthComponent = "dead_letters";

const DeadLetterStoreOptions& validated(const DeadLetterStoreOptions& options) {
  if (options.directory.empty())
    throw std::invalid_argument("dead-letter store: no directory given");
  if (options.max_segment_bytes < kMinDeadLetterSegmentBytes) {
    throw std::invalid_argument(
        fmt::format("dead-letter store: max_segment_bytes ({}) must be at least {}",
                    options.max_segment_bytes, kMinDeadLetterSegmentBytes));
  }
  if (options.max_segment_bytes > options.max_bytes / 4) {
    throw std::invalid_argument(
        fmt::format("dead-letter store: max_segment_bytes ({}) must be at most a quarter of "
                    "max_bytes ({})",
                    options.max_segment_bytes, options.max_bytes));
  }
  return options;
}

// A metric label: lower-case [a-z0-9_], bounded, never empty.
std::string reason_kind_label(std::string_view kind) {
  std::string label;
  for (const char c : kind.substr(0, kMaxReasonKindLength)) {
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    const bool allowed = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
    label += allowed ? lower : '_';
  }
  return label.empty() ? "other" : label;
}

}  // namespace

DeadLetterStore::DeadLetterStore(DeadLetterStoreOptions options, MetricsRegistry& metrics)
    : options_(validated(options)), directory_(options_.directory), metrics_(metrics) {
  if (auto ec = directory_.create()) {
    throw std::system_error(ec,
                            std::string(kOwner) + ": cannot create directory " + directory_.path());
  }
  recover();
  update_gauges();
}

void DeadLetterStore::recover() {
  std::error_code ec;
  const std::vector<std::uint64_t> seqs = directory_.list(ec);
  if (ec) throw std::system_error(ec, std::string(kOwner) + ": cannot list " + directory_.path());
  for (const std::uint64_t seq : seqs) recover_segment_entries(seq);
  for (std::size_t i = segments_.size(); i-- > 1;) delete_if_empty(i - 1);
  if (segments_.empty()) {
    if ((ec = start_segment())) {
      throw std::system_error(
          ec, std::string(kOwner) + ": cannot create a segment in " + directory_.path());
    }
    return;
  }
  // The newest segment goes on being written, with the source tables it already has.
  Segment& last = segments_.back();
  if ((ec = writer_.open(directory_.path_of(last.seq), last.header, last.bytes))) {
    throw std::system_error(ec,
                            std::string(kOwner) + ": cannot open " + directory_.path_of(last.seq));
  }
  encoder_.resume(last.sources);
  last.sources = {};
  if (live_entries_ > 0) {
    spdlog::info("{}: {} dead letters stored ({} bytes)", kOwner, live_entries_, total_bytes_);
  }
}

void DeadLetterStore::recover_segment_entries(std::uint64_t seq) {
  Segment segment;
  segment.seq = seq;
  std::uint64_t undecodable = 0;
  DeadLetterEntry entry;
  std::vector<std::uint64_t> removed;
  const SegmentRecovery found = recover_segment(
      directory_, seq, SegmentKind::kDeadLetters, kOwner,
      [&](std::uint64_t offset, std::string_view payload) {
        const auto type = static_cast<FrameType>(payload[0]);  // intact frames are never empty
        bool ok = false;
        if (type == FrameType::kContainerMetadata || type == FrameType::kFileSource) {
          ok = decode_source_definition(payload, segment.sources);
        } else if (type == FrameType::kDeadLetter) {
          ok = decode_dead_letter(payload, segment.sources, entry) &&
               (segment.entries.empty() || entry.id > segment.entries.back().id);
          if (ok)
            segment.entries.push_back(
                {entry.id, entry.added, offset, sink_index(entry.sink), true});
        } else if (type == FrameType::kDeadLetterRemoval) {
          ok = decode_removal(payload, removed);
          for (const std::uint64_t id : ok ? removed : std::vector<std::uint64_t>{}) {
            const auto it =
                std::lower_bound(segment.entries.begin(), segment.entries.end(), id,
                                 [](const EntryRef& e, std::uint64_t v) { return e.id < v; });
            if (it != segment.entries.end() && it->id == id) it->live = false;
          }
        }
        if (!ok) ++undecodable;
      });
  if (undecodable > 0) {
    metrics_.corrupt_skips.inc(undecodable);
    spdlog::error("{}: {}: skipped {} undecodable frames", kOwner, directory_.path_of(seq),
                  undecodable);
  }
  if (!count_recovery(found, directory_.path_of(seq), kOwner, metrics_.corrupt_truncations,
                      metrics_.corrupt_skips)) {
    return;
  }
  segment.header = found.header;
  segment.bytes = found.valid_bytes;
  next_id_ = std::max(next_id_, segment.header.base);
  for (const EntryRef& ref : segment.entries) {
    next_id_ = std::max(next_id_, ref.id + 1);
    if (!ref.live) continue;
    ++segment.live;
    ++live_by_sink_[ref.sink];
    ++live_entries_;
  }
  total_bytes_ += segment.bytes;
  segments_.push_back(std::move(segment));
}

std::uint32_t DeadLetterStore::sink_index(std::string_view sink) {
  const auto [it, inserted] =
      sink_indexes_.emplace(std::string(sink), static_cast<std::uint32_t>(sink_names_.size()));
  if (inserted) {
    sink_names_.emplace_back(sink);
    live_by_sink_.push_back(0);
  }
  return it->second;
}

const SegmentSources& DeadLetterStore::sources_of(const Segment& segment) const {
  return &segment == &segments_.back() ? encoder_.sources() : segment.sources;
}

std::error_code DeadLetterStore::start_segment() {
  const std::uint64_t seq = segments_.empty() ? 1 : segments_.back().seq + 1;
  const SegmentHeader header{SegmentKind::kDeadLetters, random_segment_salt(), next_id_};
  SegmentAppender next;
  if (auto ec = next.create(directory_.path_of(seq), header)) {
    count_write_error("creating", directory_.path_of(seq), ec);
    return ec;
  }
  if (options_.fsync) {
    // Without its directory entry on disk, what the new file holds could vanish in a crash.
    if (auto ec = directory_.sync()) {
      count_write_error("fsync", directory_.path(), ec);
      next.close();
      if (auto removed = directory_.remove(seq))
        count_write_error("deleting", directory_.path_of(seq), removed);
      return ec;
    }
  }
  if (!segments_.empty()) segments_.back().sources = encoder_.sources();
  writer_ = std::move(next);
  encoder_.reset();
  segments_.push_back({seq, header, writer_.size(), {}, 0, {}});
  total_bytes_ += writer_.size();
  if (segments_.size() >= 2) delete_if_empty(segments_.size() - 2);
  return {};
}

void DeadLetterStore::report_health_to(HealthRegistry& health) {
  std::lock_guard lock(mutex_);
  health_ = &health;
  set_latched(latched_);
}

std::error_code DeadLetterStore::sync_file(SegmentAppender& file) {
  if (options_.sync_fault) {
    if (auto ec = options_.sync_fault(file.path())) return ec;
  }
  return file.sync();
}

std::error_code DeadLetterStore::latch_sync_failure(const std::string& path, std::error_code ec) {
  metrics_.sync_failures.inc();
  count_write_error("fsync", path, ec);
  // Linux reports a lost writeback once per descriptor: this one would hide it from now on.
  if (path == writer_.path()) rotate_before_write_ = true;
  set_latched(true);
  return ec;
}

void DeadLetterStore::set_latched(bool latched) {
  latched_ = latched;
  if (health_ == nullptr) return;
  health_->set(kHealthComponent, !latched,
               latched ? "an fsync of the dead-letter store failed; writes are retried in a new "
                         "file"
                       : "");
}

std::error_code DeadLetterStore::leave_failed_file() {
  if (!rotate_before_write_) return {};
  if (auto ec = start_segment()) return ec;
  rotate_before_write_ = false;
  return {};
}

bool DeadLetterStore::sync_failure_latched() const {
  std::lock_guard lock(mutex_);
  return latched_;
}

std::uint64_t DeadLetterStore::in_flight() const {
  std::lock_guard lock(mutex_);
  return in_flight_;
}

void DeadLetterStore::register_sinks(const std::vector<std::string>& sinks) {
  std::lock_guard lock(mutex_);
  for (const std::string& sink : sinks) {
    for (const char* kind : {"rejected", "retries_exhausted"}) metrics_.added(sink, kind);
    metrics_.dropped(sink);
    metrics_.reprocessed(sink);
  }
}

DeadLetterAddResult DeadLetterStore::add(std::string_view sink, const DeadLetterReason& reason,
                                         std::span<const LogRecord> records) {
  std::lock_guard lock(mutex_);
  DeadLetterAddResult result;
  if ((result.error = leave_failed_file())) return result;
  DeadLetterEntry entry;
  entry.sink = sink;
  entry.reason = {reason_kind_label(reason.kind), reason.message};
  entry.added = now_ns();
  const std::uint32_t sink_ref = sink_index(sink);
  std::vector<PendingEntry> pending;
  const AddStart start{segments_.back().seq, writer_.size(), next_id_, encoder_.mark()};
  RecordFrameEncoder::Mark chunk_mark = encoder_.mark();
  write_buffer_.clear();
  // Appends the entry's frames to write_buffer_; the offset of its own frame, or nullopt.
  const auto encode = [&]() -> std::optional<std::size_t> {
    const SourceRefs refs =
        encoder_.define_sources(write_buffer_, writer_.checksum_seed(), entry.record);
    const std::size_t frame = write_buffer_.size();
    if (!append_dead_letter_frame(write_buffer_, writer_.checksum_seed(), entry, refs)) {
      return std::nullopt;
    }
    return frame;
  };
  for (const LogRecord& record : records) {
    entry.id = next_id_;
    entry.record = record;
    const std::size_t start = write_buffer_.size();
    const RecordFrameEncoder::Mark defined = encoder_.mark();
    std::optional<std::size_t> frame = encode();
    if (!frame || write_buffer_.size() - start + SegmentHeader::kSize > options_.max_bytes / 2) {
      write_buffer_.resize(start);
      encoder_.rollback(defined);
      ++result.dropped;
      metrics_.dropped(entry.sink).inc();
      spdlog::error("{}: a record of sink {} is too large to be kept under max_bytes ({}); dropped",
                    kOwner, entry.sink, options_.max_bytes);
      continue;
    }
    const Segment& active = segments_.back();
    if (active.bytes + write_buffer_.size() > options_.max_segment_bytes &&
        (active.bytes > SegmentHeader::kSize || start > 0)) {
      // The active segment is full: write what precedes this entry, then start the next one.
      write_buffer_.resize(start);
      encoder_.rollback(defined);
      if ((result.error = write_pending(pending, chunk_mark, result))) break;
      if (options_.fsync && result.added > 0) {
        if (auto ec = sync_file(writer_)) {
          result.error = latch_sync_failure(writer_.path(), ec);
          break;
        }
      }
      if ((result.error = start_segment())) break;
      chunk_mark = encoder_.mark();
      frame = encode();
    }
    pending.push_back({{entry.id, entry.added, 0, sink_ref, true}, *frame});
    ++next_id_;
  }
  if (!result.error) result.error = write_pending(pending, chunk_mark, result);
  if (!result.error && options_.fsync && result.added > 0) {
    if (auto ec = sync_file(writer_)) {
      result.error = latch_sync_failure(writer_.path(), ec);
    } else if (latched_) {
      set_latched(false);  // written again, in a new file, and on disk
    }
  }
  if (result.error) {
    // All or nothing: a retry of the call must not store its first records twice.
    undo_add(start);
    result.added = 0;
  }
  metrics_.added(entry.sink, entry.reason.kind).inc(result.added);
  update_gauges();
  return result;
}

void DeadLetterStore::undo_add(const AddStart& start) {
  for (std::size_t index = segments_.size(); index-- > 0;) {
    Segment& segment = segments_[index];
    if (segment.seq < start.seq) break;
    const std::uint64_t size = segment.seq == start.seq ? start.size : SegmentHeader::kSize;
    while (!segment.entries.empty() && segment.entries.back().id >= start.first_id) {
      const EntryRef& ref = segment.entries.back();
      if (ref.live) {
        --segment.live;
        --live_by_sink_[ref.sink];
        --live_entries_;
      }
      segment.entries.pop_back();
    }
    if (segment.bytes <= size) continue;
    const bool active = index + 1 == segments_.size();
    SegmentAppender older;  // a segment no longer written is opened for this cut only
    SegmentAppender* file = &writer_;
    if (!active) {
      if (auto ec = older.open(directory_.path_of(segment.seq), segment.header, segment.bytes)) {
        count_write_error("opening", directory_.path_of(segment.seq), ec);
        continue;  // its entries are out of the index; on disk they would come back
      }
      file = &older;
    }
    if (auto ec = file->cut_back(size)) count_write_error("truncating", file->path(), ec);
    if (options_.fsync) {
      if (auto ec = file->sync()) count_write_error("fsync", file->path(), ec);
    }
    total_bytes_ -= segment.bytes - size;
    segment.bytes = size;
    if (active) {
      if (segment.seq == start.seq) {
        encoder_.rollback(start.mark);
      } else {
        encoder_.reset();  // back to the header alone: no source defined
      }
    }
  }
  for (std::size_t i = segments_.size(); i-- > 1;) {
    if (segments_[i - 1].seq >= start.seq) delete_if_empty(i - 1);
  }
}

std::error_code DeadLetterStore::write_pending(std::vector<PendingEntry>& pending,
                                               RecordFrameEncoder::Mark& chunk_mark,
                                               DeadLetterAddResult& result) {
  if (pending.empty()) return {};
  make_room(write_buffer_.size());
  const std::uint64_t base = writer_.size();
  if (auto ec = writer_.append(write_buffer_)) {
    encoder_.rollback(chunk_mark);
    next_id_ = pending.front().ref.id;  // never written: the ids are free again
    pending.clear();
    write_buffer_.clear();
    count_write_error("append to", writer_.path(), ec);
    return ec;
  }
  Segment& active = segments_.back();
  for (PendingEntry& entry : pending) {
    entry.ref.offset = base + entry.buffer_offset;
    active.entries.push_back(entry.ref);
    ++active.live;
    ++live_by_sink_[entry.ref.sink];
    ++live_entries_;
  }
  active.bytes = writer_.size();
  total_bytes_ += write_buffer_.size();
  result.added += pending.size();
  pending.clear();
  write_buffer_.clear();
  chunk_mark = encoder_.mark();
  return {};
}

void DeadLetterStore::make_room(std::uint64_t needed) {
  while (total_bytes_ + needed > options_.max_bytes && segments_.size() > 1) {
    const Segment& oldest = segments_.front();
    if (auto ec = directory_.remove(oldest.seq)) {
      count_write_error("deleting", directory_.path_of(oldest.seq), ec);
      return;  // over the bound rather than refusing dead letters
    }
    std::uint64_t dropped = 0;
    for (const EntryRef& ref : oldest.entries) {
      if (ref.in_flight) --in_flight_;  // its replay's confirm will find nothing to remove
      if (!ref.live) continue;
      metrics_.dropped(sink_names_[ref.sink]).inc();
      --live_by_sink_[ref.sink];
      ++dropped;
    }
    live_entries_ -= dropped;
    if (dropped > 0) {
      spdlog::warn(
          "{}: dropped the {} oldest dead letters (segment {}) to stay under max_bytes ({})",
          kOwner, dropped, directory_.path_of(oldest.seq), options_.max_bytes);
    }
    total_bytes_ -= oldest.bytes;
    segments_.pop_front();
  }
}

void DeadLetterStore::delete_if_empty(std::size_t segment_index) {
  const Segment& segment = segments_[segment_index];
  if (segment_index + 1 == segments_.size() || segment.live > 0) return;
  if (auto ec = directory_.remove(segment.seq)) {
    count_write_error("deleting", directory_.path_of(segment.seq), ec);
    return;
  }
  total_bytes_ -= segment.bytes;
  segments_.erase(segments_.begin() + static_cast<std::ptrdiff_t>(segment_index));
}

std::optional<std::pair<std::size_t, std::size_t>> DeadLetterStore::locate(std::uint64_t id) const {
  for (std::size_t s = 0; s < segments_.size(); ++s) {
    const std::vector<EntryRef>& entries = segments_[s].entries;
    if (entries.empty() || id < entries.front().id || id > entries.back().id) continue;
    const auto it = std::lower_bound(entries.begin(), entries.end(), id,
                                     [](const EntryRef& e, std::uint64_t v) { return e.id < v; });
    if (it == entries.end() || it->id != id) return std::nullopt;
    return std::pair{s, static_cast<std::size_t>(it - entries.begin())};
  }
  return std::nullopt;
}

DeadLetterConfirmResult DeadLetterStore::confirm(std::span<const std::uint64_t> ids) {
  std::lock_guard lock(mutex_);
  DeadLetterConfirmResult result;
  std::map<std::uint64_t, std::vector<std::uint64_t>> by_segment;  // seq -> live ids
  for (const std::uint64_t id : ids) {
    const auto at = locate(id);
    if (!at) continue;
    EntryRef& ref = segments_[at->first].entries[at->second];
    if (ref.in_flight) {  // confirmed or not, no longer in flight
      ref.in_flight = false;
      --in_flight_;
    }
    if (ref.live) by_segment[segments_[at->first].seq].push_back(id);
  }
  if ((result.error = leave_failed_file())) {
    update_gauges();
    return result;
  }
  for (auto& [seq, group] : by_segment) {
    std::sort(group.begin(), group.end());
    group.erase(std::unique(group.begin(), group.end()), group.end());
    const auto index = static_cast<std::size_t>(
        std::lower_bound(segments_.begin(), segments_.end(), seq,
                         [](const Segment& s, std::uint64_t v) { return s.seq < v; }) -
        segments_.begin());
    Segment& segment = segments_[index];
    SegmentAppender older;  // a segment no longer written is opened for this removal only
    SegmentAppender* target = &writer_;
    if (index + 1 != segments_.size()) {
      if (auto ec = older.open(directory_.path_of(seq), segment.header, segment.bytes)) {
        count_write_error("opening", directory_.path_of(seq), ec);
        result.error = ec;
        continue;
      }
      target = &older;
    }
    std::string frame;
    append_removal_frame(frame, target->checksum_seed(), group);
    const std::uint64_t before = target->size();
    if (auto ec = target->append(frame)) {
      count_write_error("append to", target->path(), ec);
      result.error = ec;
      continue;
    }
    if (options_.fsync) {
      if (auto ec = sync_file(*target)) {
        // Perhaps not on disk: the entries stay (reprocessed again: at-least-once), and the
        // frame is cut back so that nothing after it depends on pages the kernel dropped.
        result.error = latch_sync_failure(target->path(), ec);
        if (auto cut = target->cut_back(before))
          count_write_error("truncating", target->path(), cut);
        continue;
      }
      if (latched_ && !rotate_before_write_) set_latched(false);
    }
    segment.bytes = target->size();
    total_bytes_ += frame.size();
    for (const std::uint64_t id : group) {
      EntryRef& ref =
          *std::lower_bound(segment.entries.begin(), segment.entries.end(), id,
                            [](const EntryRef& e, std::uint64_t v) { return e.id < v; });
      ref.live = false;
      --segment.live;
      --live_by_sink_[ref.sink];
      --live_entries_;
      metrics_.reprocessed(sink_names_[ref.sink]).inc();
      ++result.removed;
    }
    delete_if_empty(index);
  }
  update_gauges();
  return result;
}

std::vector<DeadLetterEntry> DeadLetterStore::list(std::uint64_t after_id, std::size_t limit,
                                                   std::uint64_t max_bytes) const {
  std::lock_guard lock(mutex_);
  return collect(after_id, limit, max_bytes, false, {});
}

std::vector<DeadLetterEntry> DeadLetterStore::take_for_reprocess(
    std::size_t limit, std::uint64_t max_bytes, const DeadLetterSinkFilter& wanted) {
  std::lock_guard lock(mutex_);
  std::vector<bool> wanted_sinks(sink_names_.size());
  for (std::size_t i = 0; i < sink_names_.size(); ++i) {
    wanted_sinks[i] = !wanted || wanted(sink_names_[i]);
  }
  std::vector<DeadLetterEntry> taken = collect(
      0, limit, max_bytes, true, [&](std::uint32_t sink) { return bool(wanted_sinks[sink]); });
  for (const DeadLetterEntry& entry : taken) {
    if (EntryRef* ref = find_ref(entry.id)) {
      ref->in_flight = true;
      ++in_flight_;
    }
  }
  return taken;
}

void DeadLetterStore::release(std::span<const std::uint64_t> ids) {
  std::lock_guard lock(mutex_);
  for (const std::uint64_t id : ids) {
    EntryRef* ref = find_ref(id);
    if (ref == nullptr || !ref->in_flight) continue;
    ref->in_flight = false;
    --in_flight_;
  }
}

DeadLetterStore::EntryRef* DeadLetterStore::find_ref(std::uint64_t id) {
  const auto at = locate(id);
  return at ? &segments_[at->first].entries[at->second] : nullptr;
}

std::vector<DeadLetterEntry> DeadLetterStore::collect(
    std::uint64_t after_id, std::size_t limit, std::uint64_t max_bytes, bool skip_in_flight,
    const std::function<bool(std::uint32_t)>& wanted) const {
  std::vector<DeadLetterEntry> out;
  std::uint64_t bytes = 0;
  for (const Segment& segment : segments_) {
    if (out.size() >= limit || bytes >= max_bytes) break;
    if (segment.live == 0 || segment.entries.back().id <= after_id) continue;
    const std::string path = directory_.path_of(segment.seq);
    SegmentReader reader;
    for (auto it = std::upper_bound(segment.entries.begin(), segment.entries.end(), after_id,
                                    [](std::uint64_t v, const EntryRef&e) { return v < e.id; });
         it != segment.entries.end() && out.size() < limit && bytes < max_bytes; ++it) {
      if (!it->live || (skip_in_flight && it->in_flight) || (wanted && !wanted(it->sink))) {
        continue;
      }
      if (!reader.is_open()) {
        if (auto ec = reader.open(path, SegmentKind::kDeadLetters)) {
          spdlog::error("{}: cannot read {}: {}", kOwner, path, ec.message());
          break;
        }
      }
      reader.seek(it->offset);
      const SegmentReader::Step step = reader.next();
      DeadLetterEntry entry;
      if (step.kind != SegmentReader::Step::Kind::kFrame || step.offset != it->offset ||
          !decode_dead_letter(step.payload, sources_of(segment), entry) || entry.id != it->id) {
        spdlog::error("{}: {}: dead letter {} at offset {} is no longer readable", kOwner, path,
                      it->id, it->offset);
        continue;
      }
      // Bounded by what is stored, which a response reflects: the record and the reason.
      if (!out.empty() && bytes + step.payload.size() > max_bytes) {
        bytes = max_bytes;
        break;
      }
      bytes += step.payload.size();
      out.push_back(std::move(entry));
    }
  }
  return out;
}

DeadLetterStats DeadLetterStore::stats() const {
  std::lock_guard lock(mutex_);
  DeadLetterStats stats;
  stats.entries = live_entries_;
  stats.in_flight = in_flight_;
  stats.sync_failure_latched = latched_;
  stats.bytes = total_bytes_;
  stats.max_bytes = options_.max_bytes;
  for (auto segment = segments_.begin(); segment != segments_.end() && !stats.oldest; ++segment) {
    const auto ref = std::find_if(segment->entries.begin(), segment->entries.end(),
                                  [](const EntryRef& e) { return e.live; });
    if (ref != segment->entries.end()) stats.oldest = DeadLetterStats::Edge{ref->id, ref->added};
  }
  for (auto segment = segments_.rbegin(); segment != segments_.rend() && !stats.newest; ++segment) {
    const auto ref = std::find_if(segment->entries.rbegin(), segment->entries.rend(),
                                  [](const EntryRef& e) { return e.live; });
    if (ref != segment->entries.rend()) stats.newest = DeadLetterStats::Edge{ref->id, ref->added};
  }
  for (std::size_t i = 0; i < sink_names_.size(); ++i) {
    if (live_by_sink_[i] > 0) stats.entries_by_sink[sink_names_[i]] = live_by_sink_[i];
  }
  return stats;
}

void DeadLetterStore::count_write_error(const char* what, const std::string& path,
                                        std::error_code ec) {
  metrics_.write_errors.inc();
  spdlog::error("{}: {} {} failed: {}", kOwner, what, path, ec.message());
}

void DeadLetterStore::update_gauges() {
  metrics_.entries.set(static_cast<std::int64_t>(live_entries_));
  metrics_.bytes.set(static_cast<std::int64_t>(total_bytes_));
}

}  // namespace lc
