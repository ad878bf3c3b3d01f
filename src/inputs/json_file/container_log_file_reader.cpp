#include "inputs/json_file/container_log_file_reader.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "inputs/json_file/json_file_input_metrics.hpp"
#include "inputs/json_file/positioned_read.hpp"

namespace lc::json_file {

namespace {

constexpr std::size_t kMinReadChunkBytes = 4096;
// The read buffer ends with this much spare room, so that every line in it can be parsed in
// place (simdjson reads, but never uses, a few bytes past the end of its input).
constexpr std::size_t kParsePadding = JsonFileLineParser::kPadding;
constexpr int kOpenAttempts = 4;  // a file renamed between listing and open: list again
constexpr const char* kGoneWhileOpening = "was rotated away while being opened";

std::string short_file_owner_id(const ContainerMetadataPtr& container) {
  return container ? container->id.substr(0, 12) : std::string("?");
}

}  // namespace

ContainerLogFileReader::ContainerLogFileReader(ContainerMetadataPtr container, std::string log_path,
                                               JsonFileLineParser& parser,
                                               ContainerLogFileReaderOptions options,
                                               std::optional<FileResumePoint> resume,
                                               ContainerPosition resume_position,
                                               JsonFileInputMetrics* metrics)
    : container_(std::move(container)),
      path_(std::move(log_path)),
      parser_(parser),
      options_(options),
      max_line_bytes_(std::max<std::uint32_t>(options.max_line_bytes, 1)),
      metrics_(metrics),
      resume_(resume) {
  ranks_.seed(resume_position);
  joiners_ = multiline::ContainerStreamJoiners(
      options_.multiline, multiline::ContainerStreamJoiners::GroupPosition::kFirstLine);
  if (resume_position.latest_time() > 0) {
    last_time_ = resume_position.latest_time();
    has_last_time_ = true;
  }
}

ContainerLogFileReader::~ContainerLogFileReader() { close_current(); }

void ContainerLogFileReader::count(std::uint64_t FileReaderCounters::*field, std::uint64_t n) {
  counters_.*field += n;
  if (metrics_ == nullptr) return;
  if (field == &FileReaderCounters::invalid_lines) metrics_->invalid_lines.inc(n);
  if (field == &FileReaderCounters::truncated_lines) metrics_->truncated_lines.inc(n);
  if (field == &FileReaderCounters::rotations) metrics_->rotations.inc(n);
  if (field == &FileReaderCounters::file_truncations) metrics_->file_truncations.inc(n);
  if (field == &FileReaderCounters::resume_lost) metrics_->resume_lost.inc(n);
  if (field == &FileReaderCounters::rotated_away) metrics_->rotated_away.inc(n);
  if (field == &FileReaderCounters::read_errors) metrics_->read_errors.inc(n);
  if (field == &FileReaderCounters::bytes_read) metrics_->bytes_read.inc(n);
}

// ---- Files: which one to read, and when to move on ----

void ContainerLogFileReader::set_current(OpenLogFile file) {
  close_current();
  if (!opened_once_) start_place_ = FilePosition{file.identity, file.offset};
  current_.emplace(std::move(file));
  opened_once_ = true;
  if (metrics_ != nullptr) metrics_->open_files.add(1);
}

void ContainerLogFileReader::close_current() {
  if (!current_) return;
  previous_identity_ = current_->identity;
  previous_fingerprint_ = current_->first_line_fingerprint();
  current_.reset();
  if (metrics_ != nullptr) metrics_->open_files.sub(1);
}

bool ContainerLogFileReader::open_start_file() {
  std::vector<ChainFile> chain = list_log_chain(path_, options_.max_rotated_files);
  if (chain.empty()) return false;  // not created yet, or removed: keep the resume point
  if (resume_) {
    const FileResumePoint point = *resume_;
    resume_.reset();
    const char* mismatch = open_resume_file(chain, point);
    // dockerd may have rotated, compressed or deleted files since the listing: list again,
    // for as long as the listing changes.
    for (int attempt = 1; mismatch != nullptr && attempt < kOpenAttempts; ++attempt) {
      std::vector<ChainFile> again = list_log_chain(path_, options_.max_rotated_files);
      if (mismatch != kGoneWhileOpening && again == chain) break;
      chain = std::move(again);
      mismatch = open_resume_file(chain, point);
    }
    if (mismatch == nullptr) return true;
    count(&FileReaderCounters::resume_lost);
    ranks_ = StreamRanks{};  // the ranks seeded from the checkpoint continued from its place
    spdlog::warn(
        "json-file: container {}: checkpointed file (inode {}, offset {}) {}; reading from the "
        "oldest file still present, lines in between may be lost",
        short_file_owner_id(container_.shared()), point.position.file.inode, point.position.offset,
        mismatch);
  } else if (!opened_once_ && options_.start_at == ContainerLogFileReaderOptions::StartAt::kEnd) {
    start_at_end(chain);
    if (current_) return true;
  }
  return open_oldest(std::move(chain));
}

const char* ContainerLogFileReader::open_resume_file(const std::vector<ChainFile>& chain,
                                                     const FileResumePoint& point) {
  const auto at = find_in_chain(chain, point.position.file);
  const char* mismatch = at ? open_at_point(chain[*at], point) : "is no longer among the log files";
  if (mismatch == nullptr) {
    set_skips(point, chain, *at);
    return nullptr;
  }
  // dockerd may have compressed it since (compress=true): the .gz that starts with its line.
  if (const auto copy = find_compressed_copy(chain, point.fingerprint)) {
    const char* copy_mismatch = open_at_point(chain[*copy], point);
    if (copy_mismatch == nullptr) {
      set_skips(point, chain, *copy);
      return nullptr;
    }
    if (copy_mismatch == kGoneWhileOpening) return kGoneWhileOpening;  // renamed one up since
  }
  return mismatch;
}

void ContainerLogFileReader::set_skips(const FileResumePoint& point,
                                       const std::vector<ChainFile>& chain, std::size_t at) {
  skip_file_before_ = chain[at].identity;
  for (const LogStream stream : {LogStream::kStdout, LogStream::kStderr}) {
    const bool err = stream == LogStream::kStderr;
    FilePosition end = point.stream_end(stream);
    if (end.file == point.position.file) {
      end.file = chain[at].identity;  // the file as it is named (or compressed) now
    } else if (const auto later = find_in_chain(chain, end.file); !later || *later < at) {
      continue;  // before the place read from (nothing read again was delivered), or unknown
    }
    skip_through_[err] = end;
    stream_ends_[err] = end;
  }
}

const char* ContainerLogFileReader::open_at_point(const ChainFile& file,
                                                  const FileResumePoint& point) {
  UniqueFd fd = open_checked(file);
  if (!fd.valid()) return kGoneWhileOpening;
  // The same inode may now be another file: check its size, that the offset is a line start,
  // and the fingerprint of its first line.
  const auto status = status_of(fd.get());
  if (!status || (!file.compressed && status->size < point.position.offset)) {
    return "is now shorter than the offset";
  }
  OpenLogFile opened(std::move(fd), file, point.position.offset);
  if (!opened.is_line_start(point.position.offset)) return "has no line start at the offset";
  if (point.fingerprint != 0 && opened.first_line_fingerprint() != point.fingerprint) {
    return "starts with another first line (a reused inode)";
  }
  set_current(std::move(opened));
  return nullptr;
}

void ContainerLogFileReader::start_at_end(const std::vector<ChainFile>& chain) {
  if (chain.back().compressed) return;  // no live file: nothing is being written
  UniqueFd fd = open_checked(chain.back());
  if (!fd.valid()) return;
  const auto status = status_of(fd.get());
  if (!status) return;
  OpenLogFile opened(std::move(fd), chain.back(), status->size);
  // Not at a line start (a line is being written): skip to the next one.
  skipping_line_ = !opened.is_line_start(status->size);
  set_current(std::move(opened));
}

bool ContainerLogFileReader::open_oldest(std::vector<ChainFile> chain) {
  for (int attempt = 0; attempt < kOpenAttempts && !chain.empty(); ++attempt) {
    if (UniqueFd fd = open_checked(chain.front()); fd.valid()) {
      set_current(OpenLogFile(std::move(fd), chain.front(), 0));
      return true;
    }
    chain = list_log_chain(path_, options_.max_rotated_files);
  }
  return false;
}

void ContainerLogFileReader::report_unreadable(const char* why) {
  count(&FileReaderCounters::read_errors);
  spdlog::warn(
      "json-file: container {}: a compressed rotated log of {} cannot be read past offset {} "
      "({}); going on with the next file, lines after that offset in it are lost",
      short_file_owner_id(container_.shared()), path_, current_->offset, why);
  current_->unreadable = true;
}

void ContainerLogFileReader::count_rotated_away(std::size_t files) {
  if (files == 0) return;
  count(&FileReaderCounters::rotated_away, files);
  const auto level = reported_rotated_away_ ? spdlog::level::debug : spdlog::level::warn;
  reported_rotated_away_ = true;
  spdlog::log(level,
              "json-file: container {}: {} rotated file(s) deleted before they were read; their "
              "lines are lost (log_capturer_json_file_rotated_away_total)",
              short_file_owner_id(container_.shared()), files);
}

ContainerLogFileReader::FileChange ContainerLogFileReader::check_file_change(
    std::vector<LogRecord>& out) {
  if (current_->compressed()) return FileChange::kRotated;  // complete: never written again
  const auto status = status_of(current_->fd());
  if (!status) {
    count(&FileReaderCounters::read_errors);
    return FileChange::kNone;
  }
  if (status->size < current_->offset) {
    restart_from_zero(out);
    return FileChange::kRestarted;
  }
  const auto named = identity_of(path_);
  if (named && *named == current_->identity) return FileChange::kNone;
  successors_.note_live(named, current_->identity, path_);
  return FileChange::kRotated;  // renamed, deleted, or the new file is not there yet
}

bool ContainerLogFileReader::switch_to_next_file() {
  const auto status = status_of(current_->fd());
  const bool linked = status && status->linked;
  for (int attempt = 0; attempt < kOpenAttempts; ++attempt) {
    const std::vector<ChainFile> chain = list_log_chain(path_, options_.max_rotated_files);
    if (chain.empty()) {
      close_current();
      return false;
    }
    const auto next = next_in_chain(chain, linked);
    if (!next) return false;
    if (attempt == 0 && !linked) count_rotated_away(successors_.forget_gone(chain));
    UniqueFd fd = open_checked(chain[*next]);
    if (!fd.valid()) continue;  // renamed, compressed or deleted since the listing
    successors_.moved_to(chain[*next]);
    spdlog::debug(
        "json-file: container {}: finished inode {} at offset {} ({}); next: {} (inode {})",
        short_file_owner_id(container_.shared()), current_->identity.inode, current_->offset,
        linked ? "still named" : "deleted", chain[*next].name, chain[*next].identity.inode);
    count(&FileReaderCounters::rotations);
    set_current(OpenLogFile(std::move(fd), chain[*next], 0));
    return true;
  }
  // Rotated away before we could open it: the oldest file left is the next we can read.
  close_current();
  count_rotated_away(1);
  return open_oldest(list_log_chain(path_, options_.max_rotated_files));
}

std::optional<std::size_t> ContainerLogFileReader::next_in_chain(
    const std::vector<ChainFile>& chain, bool linked) {
  // Still named: the next file is the one after it; compressed since: the one after its .gz.
  // Deleted (rotated out, or the container removed): every file still present is newer than
  // it, so the oldest is next.
  std::optional<std::size_t> at = linked ? find_in_chain(chain, current_->identity) : std::nullopt;
  if (!at && !current_->compressed()) {
    at = find_compressed_copy(chain, current_->first_line_fingerprint());
  }
  if (at) {
    if (*at + 1 == chain.size()) return std::nullopt;
    return *at + 1;
  }
  const bool any_compressed = std::any_of(chain.begin(), chain.end(),
                                          [](const ChainFile& file) { return file.compressed; });
  if (!any_compressed || current_->compressed()) return 0;
  // A plain file deleted without a copy found (damaged, or never compressed): a .gz may be
  // older than it. The first file seen live after it that is still there, else the first
  // plain file: never back to the oldest .gz (whole files again).
  if (const auto seen = successors_.first_present(chain)) return *seen;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (!chain[i].compressed) return i;
  }
  return std::nullopt;
}

void ContainerLogFileReader::restart_from_zero(std::vector<LogRecord>& out) {
  count(&FileReaderCounters::file_truncations);
  spdlog::warn("json-file: container {}: {} was truncated; reading it again from its start",
               short_file_owner_id(container_.shared()), path_);
  finish(out);
  skipping_line_ = false;
  current_->restart();
  // Its new content: nothing of either stream delivered there yet (offsets start again).
  stream_ends_.fill(FilePosition{current_->identity, 0});
}

std::optional<FilePosition> ContainerLogFileReader::read_position() const {
  if (!current_) return std::nullopt;
  return FilePosition{current_->identity, current_->offset};
}

std::uint64_t ContainerLogFileReader::fingerprint(const FileIdentity& file) {
  if (current_ && current_->identity == file) return current_->first_line_fingerprint();
  return previous_identity_ == file ? previous_fingerprint_ : 0;
}

// ---- Reading ----

bool ContainerLogFileReader::read_available(std::vector<LogRecord>& out, std::size_t max_bytes) {
  container_.end_batch();  // the records of the previous call are in the pipeline now
  const bool at_end = read_files(out, max_bytes);
  date_undated_by_file(out);
  return at_end;
}

bool ContainerLogFileReader::read_files(std::vector<LogRecord>& out, std::size_t max_bytes) {
  std::size_t budget = std::max<std::size_t>(max_bytes, 1);
  // A reader that lags notes each new live file it sees: a gap left by one rotated out unread
  // is counted when it moves on.
  if (current_) successors_.note_live(identity_of(path_), current_->identity, path_);
  std::vector<char> buffer;
  for (;;) {
    if (!current_ && !open_start_file()) return true;
    ReadEnd end = read_current(out, budget, /*file_finished=*/false, buffer);
    if (end == ReadEnd::kBudgetSpent) return false;
    if (end == ReadEnd::kError) return true;
    const FileChange change = check_file_change(out);
    if (change == FileChange::kNone) return true;
    if (change == FileChange::kRestarted) continue;
    // dockerd writes no more to a renamed file: what it holds now is all it will ever hold.
    end = read_current(out, budget, /*file_finished=*/true, buffer);
    if (end == ReadEnd::kBudgetSpent) return false;
    if (end == ReadEnd::kError) return true;
    date_undated_by_file(out);  // the finished file's time, before it is closed
    if (current_->cut_short()) report_unreadable("ends inside its compressed data");
    if (!switch_to_next_file()) return true;
  }
}

ContainerLogFileReader::ReadEnd ContainerLogFileReader::read_current(std::vector<LogRecord>& out,
                                                                     std::size_t& budget,
                                                                     bool file_finished,
                                                                     std::vector<char>& buffer) {
  // A line, its '\n', and the byte before it (checked to be the previous line's '\n').
  const std::size_t max_buffer = parser_.max_line_bytes() + 2;
  if (buffer.empty()) {
    buffer.resize(std::min(max_buffer, std::max(options_.read_chunk_bytes, kMinReadChunkBytes)) +
                  kParsePadding);
  }
  for (;;) {
    OpenLogFile& file = *current_;
    if (file.unreadable) return ReadEnd::kEndOfFile;
    // Reading from one byte early checks that nothing rewrote the file under our offset
    // (truncated and written again between two reads).
    const bool guard = file.offset > 0 && !skipping_line_;
    const std::size_t readable = buffer.size() - kParsePadding;
    const ssize_t n = file.read_at(buffer.data(), readable, file.offset - guard);
    if (n < 0 && file.compressed()) {
      // Corrupt: what it held up to here is read; go on with the next file.
      report_unreadable(std::strerror(errno));
      return ReadEnd::kEndOfFile;
    }
    if (n < 0) {
      count(&FileReaderCounters::read_errors);
      spdlog::warn("json-file: container {}: cannot read {}: {}",
                   short_file_owner_id(container_.shared()), path_, std::strerror(errno));
      return ReadEnd::kError;
    }
    const bool short_read = static_cast<std::size_t>(n) < readable;
    std::string_view data(buffer.data(), static_cast<std::size_t>(n));
    if (guard) {
      if (data.empty()) return ReadEnd::kEndOfFile;  // shrank: check_file_change restarts
      if (data.front() != '\n') {
        restart_from_zero(out);
        continue;
      }
      data.remove_prefix(1);
    }

    std::size_t consumed = 0;
    // Counted once per read, not per line (the metric is shared with other threads).
    std::size_t whole_lines_bytes = 0;
    for (std::size_t newline; (newline = data.find('\n', consumed)) != std::string_view::npos;) {
      const std::string_view line = data.substr(consumed, newline - consumed);
      const FilePosition start{file.identity, file.offset};
      file.offset += line.size() + 1;
      consumed = newline + 1;
      whole_lines_bytes += line.size() + 1;
      last_line_end_ = FilePosition{file.identity, file.offset};
      if (skipping_line_) {
        skipping_line_ = false;
        if (oversized_open_) {
          oversized_open_ = false;
          emit_invalid(oversized_head_, /*truncated=*/true, out);
          oversized_head_ = std::string();
        }
      } else {
        handle_line(line, start, out);
      }
      budget -= std::min(budget, line.size() + 1);
      if (budget == 0) break;
    }
    count(&FileReaderCounters::bytes_read, whole_lines_bytes);
    if (budget == 0) return ReadEnd::kBudgetSpent;
    const std::string_view rest = data.substr(consumed);
    if (rest.empty() || consumed > 0) {
      if (!short_read) continue;  // read on from the start of the partial line
      if (rest.empty()) return ReadEnd::kEndOfFile;
    }
    if (skipping_line_) {  // the middle of an over-long line: drop it, keep memory bounded
      file.offset += rest.size();
      count(&FileReaderCounters::bytes_read, rest.size());
      if (short_read) return ReadEnd::kEndOfFile;
      continue;
    }
    if (!short_read) {
      if (readable < max_buffer) {
        buffer.resize(std::min(max_buffer, readable * 2) + kParsePadding);
        continue;
      }
      handle_oversized_head(rest);
      file.offset += rest.size();
      count(&FileReaderCounters::bytes_read, rest.size());
      continue;
    }
    // A partial last line: complete later, unless the file is finished (a torn write).
    if (!file_finished) return ReadEnd::kEndOfFile;
    const FilePosition start{file.identity, file.offset};
    file.offset += rest.size();
    count(&FileReaderCounters::bytes_read, rest.size());
    last_line_end_ = FilePosition{file.identity, file.offset};
    handle_line(rest, start, out);
    return ReadEnd::kEndOfFile;
  }
}

// ---- Lines to records ----

void ContainerLogFileReader::handle_oversized_head(std::string_view head) {
  skipping_line_ = true;
  oversized_open_ = true;
  oversized_head_.assign(head.substr(0, std::min<std::size_t>(head.size(), max_line_bytes_)));
}

void ContainerLogFileReader::handle_line(std::string_view line, FilePosition start,
                                         std::vector<LogRecord>& out) {
  ++line_sequence_;
  JsonFileLine entry;
  // Every line comes from the read buffer, which has kParsePadding bytes after its data.
  if (const LineError error = parser_.parse(line, entry, /*padded=*/true);
      error != LineError::kNone) {
    spdlog::debug("json-file: container {}: invalid line at offset {} ({}); passed on raw",
                  short_file_owner_id(container_.shared()), start.offset, to_string(error));
    emit_invalid(line, line.size() > max_line_bytes_, out);
    return;
  }
  std::string_view text = entry.log;
  bool last_piece = true;
  if (!text.empty() && text.back() == '\n') {
    text.remove_suffix(1);
    if (container_.shared() && container_.shared()->tty && !text.empty() && text.back() == '\r') {
      text.remove_suffix(1);
    }
  } else if (text.size() == kDockerPieceBytes) {
    last_piece = false;
  }
  // else: a last line without newline, written as the container exited.

  PendingLine& state = pending(entry.stream);
  if (!state.open) {
    if (last_piece) {  // the common case: a whole line in one entry
      const bool truncated = text.size() > max_line_bytes_;
      emit(entry.stream, entry.time, std::string(text.substr(0, max_line_bytes_)), truncated,
           LineStart{start, line_sequence_}, out);
      return;
    }
    state.open = true;
    state.dropping = false;
    state.time = entry.time;
    state.start = start;
    state.start_sequence = line_sequence_;
    state.text.clear();
  }
  append_piece(entry.stream, text, out);
  if (last_piece) close_line(entry.stream, out);
}

void ContainerLogFileReader::append_piece(LogStream stream, std::string_view text,
                                          std::vector<LogRecord>& out) {
  PendingLine& state = pending(stream);
  if (state.dropping) return;
  const std::size_t room = max_line_bytes_ - state.text.size();
  if (text.size() <= room) {
    state.text.append(text);
    return;
  }
  // Over the cap: deliver what fits now and drop the rest of this line as it comes.
  state.text.append(text.substr(0, room));
  state.dropping = true;
  emit(stream, state.time, std::move(state.text), /*truncated=*/true,
       LineStart{state.start, state.start_sequence}, out);
  state.text = std::string();
}

void ContainerLogFileReader::close_line(LogStream stream, std::vector<LogRecord>& out) {
  PendingLine& state = pending(stream);
  const bool deliver = !state.dropping;
  state.open = false;
  state.dropping = false;
  if (deliver) {
    emit(stream, state.time, std::move(state.text), /*truncated=*/false,
         LineStart{state.start, state.start_sequence}, out);
  }
  state.text = std::string();
}

void ContainerLogFileReader::emit_invalid(std::string_view raw, bool truncated,
                                          std::vector<LogRecord>& out) {
  // Counted with stdout's records: stdout's open group goes first (each stream's records must
  // end in order of their place).
  if (delivered_before(LogStream::kStdout, last_line_end_)) {
    ++counters_.skipped_delivered;
    return;
  }
  if (multiline::MultilineJoiner* stdout_joiner = joiners_.of(LogStream::kStdout)) {
    stdout_joiner->flush(joined_);
    deliver_joined(out);
  }
  count(&FileReaderCounters::invalid_lines);
  // Docker gave no time: the previous record's (never the agent's clock, which would move a
  // position into the future), else the next one's.
  const std::size_t before = out.size();
  LogRecord record = line_record(LogStream::kStdout, last_time_,
                                 std::string(raw.substr(0, max_line_bytes_)), truncated);
  // An invalid line has no time of its own: it takes no rank and moves no position.
  record.time_estimated = true;
  record.invalid = true;
  record.valid_utf8 = false;
  deliver(std::move(record), out);
  if (out.size() > before && !has_last_time_) undated_.push_back(before);
}

void ContainerLogFileReader::date_undated(std::vector<LogRecord>& out, TimestampNs time) {
  for (const std::size_t index : undated_) {
    if (index < out.size()) out[index].time = time;
  }
  undated_.clear();
}

void ContainerLogFileReader::date_undated_by_file(std::vector<LogRecord>& out) {
  if (undated_.empty()) return;
  struct stat status {};
  TimestampNs written = 0;
  if (current_ && ::fstat(current_->fd(), &status) == 0) {
    written =
        static_cast<TimestampNs>(status.st_mtim.tv_sec) * 1'000'000'000 + status.st_mtim.tv_nsec;
  }
  date_undated(out, written);
}

bool ContainerLogFileReader::delivered_before(LogStream stream, const FilePosition& end) {
  std::optional<FilePosition>& through = skip_through_[stream == LogStream::kStderr];
  if (!through) return false;
  if (end.file == through->file) {
    if (end.offset <= through->offset) return true;
  } else if (end.file == skip_file_before_) {
    return true;  // the file the resume began in comes before the delivered record's
  }
  through.reset();  // past it: nothing further of this stream can be delivered already
  return false;
}

ContainerLogFileReader::ResumePlace ContainerLogFileReader::resume_place_now() {
  // A line still being joined (its pieces, or the lines of a stack trace) must be read again
  // after a resume: point at the start of the one that began first.
  std::optional<ResumePlace> earliest;
  std::uint64_t earliest_sequence = 0;
  const auto consider = [&](const FilePosition& start, std::uint64_t fingerprint,
                            std::uint64_t sequence) {
    if (!earliest || sequence < earliest_sequence) {
      earliest = ResumePlace{start, fingerprint};
      earliest_sequence = sequence;
    }
  };
  for (const PendingLine& state : pending_) {
    if (state.open && !state.dropping) consider(state.start, 0, state.start_sequence);
  }
  if (in_flight_) consider(in_flight_->position, 0, in_flight_->sequence);
  for (const LogStream stream : {LogStream::kStdout, LogStream::kStderr}) {
    const multiline::MultilineJoiner* joiner = joiners_.of(stream);
    if (joiner == nullptr || !joiner->has_pending()) continue;
    const GroupStart& start = group_starts_[stream == LogStream::kStderr];
    consider(start.position, start.fingerprint, start.sequence);
  }
  ResumePlace place = earliest.value_or(ResumePlace{last_line_end_, 0});
  if (place.fingerprint == 0) place.fingerprint = fingerprint(place.position.file);
  return place;
}

LogRecord ContainerLogFileReader::line_record(LogStream stream, TimestampNs time,
                                              std::string message, bool truncated) {
  LogRecord record;
  record.time = time;
  record.stream = stream;
  record.truncated = truncated;
  record.container = container_.for_record();
  record.message = std::move(message);
  // simdjson checked every byte; only a cut at the maximum size may split a character.
  record.valid_utf8 = !truncated;
  return record;
}

void ContainerLogFileReader::emit(LogStream stream, TimestampNs time, std::string message,
                                  bool truncated, LineStart at, std::vector<LogRecord>& out) {
  // Read again after a resume, in a record already delivered (by its bytes, per stream).
  if (delivered_before(stream, last_line_end_)) {
    ++counters_.skipped_delivered;
    return;
  }
  if (truncated) count(&FileReaderCounters::truncated_lines);
  LogRecord line = line_record(stream, time, std::move(message), truncated);
  line.file_line_end = last_line_end_;
  // Until it is in a record or a group, a resume must read this line again.
  in_flight_ = at;
  joiners_.flush_passed_by(stream, time, joined_);
  deliver_joined(out);
  multiline::MultilineJoiner* joiner = joiners_.of(stream);
  if (joiner == nullptr) {
    in_flight_.reset();
    deliver(std::move(line), out);
    return;
  }
  const auto took =
      joiner->push(std::move(line), multiline::MultilineJoiner::Clock::now(), joined_);
  if (took == multiline::MultilineJoiner::Took::kOpened) {
    group_starts_[stream == LogStream::kStderr] =
        GroupStart{at.position, fingerprint(at.position.file), at.sequence};
  }
  // A line that is a record of its own comes last, after the group it closed.
  const bool alone = took == multiline::MultilineJoiner::Took::kAlone;
  for (std::size_t i = 0; i < joined_.size(); ++i) {
    if (!alone || i + 1 == joined_.size()) in_flight_.reset();
    deliver(std::move(joined_[i]), out);
  }
  joined_.clear();
  in_flight_.reset();
}

void ContainerLogFileReader::deliver_joined(std::vector<LogRecord>& out) {
  for (LogRecord& record : joined_) deliver(std::move(record), out);
  joined_.clear();
}

void ContainerLogFileReader::deliver(LogRecord record, std::vector<LogRecord>& out) {
  LogRecord& placed = out.emplace_back(std::move(record));
  // Where this record and the other stream's last one end: what both streams delivered once
  // this one is (a stream's trace may end after the other's later lines).
  const bool err = placed.stream == LogStream::kStderr;
  if (!placed.file_line_end.file.valid()) placed.file_line_end = last_line_end_;
  if (!stream_ends_[!err].file.valid()) stream_ends_[!err] = start_place_;
  // Without joining, records end in the order they are read: their own end says it all.
  if (joiners_.any()) placed.file_other_stream_end = stream_ends_[!err];
  stream_ends_[err] = placed.file_line_end;
  placed.index_at_time = placed.invalid ? 0 : ranks_.next(placed.stream, placed.time);
  const ResumePlace place = resume_place_now();
  placed.file_position = place.position;
  placed.file_fingerprint = place.fingerprint;
  if (placed.invalid) return;
  if (!undated_.empty()) date_undated(out, placed.time);
  last_time_ = placed.time;
  has_last_time_ = true;
  ++counters_.records;  // no metric of its own: records are counted where they are submitted
}

std::optional<std::chrono::steady_clock::time_point> ContainerLogFileReader::flush_deadline()
    const {
  return joiners_.flush_deadline();
}

void ContainerLogFileReader::flush_expired(std::vector<LogRecord>& out) {
  for (const LogStream stream : {LogStream::kStdout, LogStream::kStderr}) {
    joiners_.flush_expired(stream, joined_);
    deliver_joined(out);  // placed while the other stream's group still holds the place back
  }
}

void ContainerLogFileReader::finish(std::vector<LogRecord>& out) {
  container_.end_batch();
  if (current_) last_line_end_ = FilePosition{current_->identity, current_->offset};
  for (const LogStream stream : {LogStream::kStdout, LogStream::kStderr}) {
    if (pending(stream).open) close_line(stream, out);
  }
  for (const LogStream stream : {LogStream::kStdout, LogStream::kStderr}) {
    if (multiline::MultilineJoiner* joiner = joiners_.of(stream)) joiner->flush(joined_);
    deliver_joined(out);  // placed while the other stream's group still holds the place back
  }
  if (oversized_open_) {
    oversized_open_ = false;
    emit_invalid(oversized_head_, /*truncated=*/true, out);
    oversized_head_ = std::string();
  }
  date_undated_by_file(out);
}

}  // namespace lc::json_file
