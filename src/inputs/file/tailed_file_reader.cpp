#include "inputs/file/tailed_file_reader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "inputs/file/file_input_metrics.hpp"
#include "inputs/json_file/log_file_chain.hpp"

namespace lc::file_input {

namespace {

constexpr std::size_t kMinTailReadBytes = 4096;
// Each step of a read finishes a file, reads one, or follows one rotation: a path that keeps
// changing under us gets its next turn instead of an endless loop.
constexpr int kMaxStepsPerRead = 32;

// The same inode may hold other content by now: check the size and the fingerprint of the
// first line, or without one that the offset is a line start. (A known fingerprint is enough:
// a position after a line delivered without its '\n' is not at a line start.)
bool position_still_valid(int fd, const FileResumePoint& point) {
  const auto status = status_of_fd(fd);
  if (!status || status->size < point.position.offset) return false;
  return point.fingerprint != 0 ? json_file::file_fingerprint(fd) == point.fingerprint
                                : is_line_start(fd, point.position.offset);
}

}  // namespace

TailedFileReader::TailedFileReader(FileSourcePtr source, TailedFileReaderOptions options,
                                   StartAt start_at, std::vector<FileResumePoint> resume,
                                   FileInputMetrics* metrics)
    : source_(std::move(source)),
      options_(std::move(options)),
      max_line_bytes_(std::max<std::uint32_t>(options_.max_line_bytes, 1)),
      rotated_(source_->path, options_.rotated_names),
      metrics_(metrics),
      start_at_(start_at),
      resume_(std::move(resume)) {}

void TailedFileReader::count(std::uint64_t TailedFileCounters::*field, std::uint64_t n) {
  counters_.*field += n;
  if (metrics_ == nullptr) return;
  if (field == &TailedFileCounters::lines) metrics_->lines.inc(n);
  if (field == &TailedFileCounters::bytes) metrics_->bytes.inc(n);
  if (field == &TailedFileCounters::lines_truncated) metrics_->lines_truncated.inc(n);
  if (field == &TailedFileCounters::unterminated_lines) metrics_->unterminated_lines.inc(n);
  if (field == &TailedFileCounters::rotations) metrics_->rotations.inc(n);
  if (field == &TailedFileCounters::truncations) metrics_->truncations.inc(n);
  if (field == &TailedFileCounters::resume_lost) metrics_->resume_lost.inc(n);
  if (field == &TailedFileCounters::read_errors) metrics_->read_errors.inc(n);
}

// ---- State the caller asks about ----

std::size_t TailedFileReader::fds_held() const {
  std::size_t held = current_ && current_->fd.valid() ? 1 : 0;
  for (const TrackedFile& file : older_) held += file.fd.valid() ? 1 : 0;
  return held;
}

std::size_t TailedFileReader::open_file_count() const { return fds_held(); }

bool TailedFileReader::can_release() const {
  return older_.empty() && current_ && current_->fd.valid();
}

void TailedFileReader::release() {
  if (can_release()) current_->fd.reset();
}

bool TailedFileReader::may_have_news() const {
  if (!current_ || !older_.empty()) return true;
  const auto named = status_of_path(path());
  return !named || !(named->identity == current_->identity) || named->size != current_->end_seen;
}

bool TailedFileReader::follows(FileIdentity file) const {
  if (!file.valid()) return false;
  if (current_ && current_->identity == file) return true;
  return std::any_of(older_.begin(), older_.end(),
                     [&](const TrackedFile& older) { return older.identity == file; });
}

void TailedFileReader::remember_finished(const TrackedFile& file) {
  std::uint64_t fingerprint = file.fingerprint;
  if (fingerprint == 0 && file.fd.valid()) fingerprint = json_file::file_fingerprint(file.fd.get());
  finished_[finished_next_] = FinishedFile{file.identity, fingerprint};
  finished_next_ = (finished_next_ + 1) % kFinishedKept;
}

void TailedFileReader::drop_oldest() {
  finished_files_.push_back(older_.front().identity);
  older_.pop_front();
}

std::optional<std::uint64_t> TailedFileReader::finished_fingerprint(FileIdentity file) const {
  for (const FinishedFile& finished : finished_) {
    if (file.valid() && finished.identity == file) return finished.fingerprint;
  }
  return std::nullopt;
}

std::optional<TailedFileReader::Clock::time_point> TailedFileReader::next_deadline() const {
  std::optional<Clock::time_point> earliest;
  const auto consider = [&](Clock::time_point at) {
    if (!earliest || at < *earliest) earliest = at;
  };
  if (!older_.empty() && older_.front().fd.valid()) {
    consider(older_.front().last_growth + options_.rotate_wait);
  }
  if (options_.unterminated_line_timeout.count() > 0) {
    for (const TrackedFile* file :
         {current_ ? &*current_ : nullptr, older_.empty() ? nullptr : &older_.front()}) {
      if (file != nullptr && file->partial_end != 0) {
        consider(file->partial_since + options_.unterminated_line_timeout);
      }
    }
  }
  return earliest;
}

// ---- Which files to read ----

TailedFileReader::Progress TailedFileReader::read_available(std::vector<LogRecord>& out,
                                                            Limits limits, Clock::time_point now) {
  source_for_records_.end_batch();  // the records of the previous call are in the pipeline now
  Pass pass{out,
            std::max<std::size_t>(limits.max_bytes, 1),
            std::max<std::size_t>(limits.max_open_files, 1),
            now,
            now_ns(),
            {}};
  if (!started_ && !start(pass)) return Progress::kGone;
  for (int step = 0; step < kMaxStepsPerRead; ++step) {
    if (!older_.empty()) {
      const Step finished = finish_older(pass);
      if (finished == Step::kBudgetSpent) return Progress::kMore;
      if (finished == Step::kDone) continue;
      // kKeepOpen: the rotated file waits for late lines; meanwhile follow the path.
    }
    if (!current_) {
      const auto named = status_of_path(path());
      if (!named) return older_.empty() ? Progress::kGone : Progress::kCaughtUp;
      follow_named(*named, now);
    }
    switch (follow_current(pass)) {
      case Step::kBudgetSpent:
        return Progress::kMore;
      case Step::kChanged:
        continue;
      default:
        return Progress::kCaughtUp;
    }
  }
  return Progress::kMore;
}

bool TailedFileReader::start(Pass& pass) {
  const auto named = status_of_path(path());
  if (!resume_.empty()) {
    const std::vector<FileResumePoint> points = std::exchange(resume_, {});
    if (resume_at(points, named, pass.now)) {
      started_ = true;
      return true;
    }
    spdlog::warn(
        "file input: {}: no saved position could be found again; reading the current "
        "file from its start",
        path());
    start_at_ = StartAt::kBeginning;
  }
  if (!named) return false;  // not there (any more)
  started_ = true;
  follow_named(*named, pass.now);
  if (start_at_ == StartAt::kEnd) {
    UniqueFd fd = open_if_identity(path(), named->identity);
    const auto status = fd.valid() ? status_of_fd(fd.get()) : std::nullopt;
    if (status) {
      current_->offset = status->size;
      current_->end_seen = status->size;
      // In the middle of a line being written: skip to the next line start.
      current_->skipping_line = !is_line_start(fd.get(), status->size);
      current_->fd = std::move(fd);
    }
  }
  return true;
}

bool TailedFileReader::resume_at(const std::vector<FileResumePoint>& points,
                                 const std::optional<FileStatus>& named, Clock::time_point now) {
  // Rotated files are finished, oldest first, before the file the path names.
  const FileResumePoint* named_point = nullptr;
  std::optional<std::int64_t> newest_rotated;
  for (const FileResumePoint& point : points) {
    if (named && point.position.file == named->identity) {
      if (named_point == nullptr) named_point = &point;
    } else if (!follows(point.position.file)) {
      const auto modified_ns = resume_rotated(point, now);
      if (!modified_ns) {
        resume_lost(point);
        continue;
      }
      newest_rotated = std::max(newest_rotated.value_or(*modified_ns), *modified_ns);
    }
  }
  std::stable_sort(older_.begin(), older_.end(), [&](const TrackedFile& a, const TrackedFile& b) {
    return a.named_modified_ns < b.named_modified_ns;
  });
  // Rotated after the newest of them while we were away: read before the path's file.
  if (newest_rotated) {
    queue_rotated_after(*newest_rotated, named ? named->identity : FileIdentity{}, now);
  }
  const bool resumed_rotated = newest_rotated.has_value();
  if (named_point != nullptr) {
    if (resume_named(*named_point, *named, now)) return true;
    resume_lost(*named_point);
  }
  if (!resumed_rotated) return false;
  if (named) follow_named(*named, now);  // newer than every saved place: from its start
  return true;
}

bool TailedFileReader::resume_named(const FileResumePoint& point, const FileStatus& named,
                                    Clock::time_point now) {
  const FileIdentity wanted = point.position.file;
  const std::uint64_t offset = point.position.offset;
  UniqueFd fd = open_if_identity(path(), wanted);
  if (fd.valid() && position_still_valid(fd.get(), point)) {
    follow_named(named, now);
    current_->offset = offset;
    current_->offset_mid_line = !is_line_start(fd.get(), offset);
    current_->end_seen = offset;
    current_->fingerprint = point.fingerprint;
    current_->fd = std::move(fd);
    return true;
  }
  // Same inode, other content: truncated (copytruncate) while we were away. The lines not read
  // yet are in its copy: resumed from the copy's own saved place, or found now.
  const bool copy_resumed = point.fingerprint != 0 &&
                            std::any_of(older_.begin(), older_.end(), [&](const TrackedFile& f) {
                              return f.fingerprint == point.fingerprint;
                            });
  if (!copy_resumed &&
      (point.fingerprint == 0 ||
       !queue_copy_of(point.fingerprint, offset, /*offset_mid_line=*/false, wanted, now))) {
    return false;
  }
  count(&TailedFileCounters::truncations);
  follow_named(named, now);
  return true;
}

std::optional<std::int64_t> TailedFileReader::resume_rotated(const FileResumePoint& point,
                                                             Clock::time_point now) {
  const FileIdentity wanted = point.position.file;
  const std::uint64_t offset = point.position.offset;
  const auto rotated = rotated_.find(wanted);
  if (!rotated) return std::nullopt;
  UniqueFd fd = open_if_identity(rotated->name, wanted);
  if (!fd.valid() || !position_still_valid(fd.get(), point)) return std::nullopt;
  TrackedFile& file = older_.emplace_back();
  file.name = rotated->name;
  file.identity = wanted;
  file.offset = offset;
  file.offset_mid_line = !is_line_start(fd.get(), offset);
  file.fingerprint = point.fingerprint;
  file.named_modified_ns = rotated->modified_ns;  // orders the resumed files
  file.end_seen = rotated->size;
  file.last_growth = now;
  file.wait_for_late_lines = true;  // it may have been rotated just before the restart
  count(&TailedFileCounters::rotations);
  spdlog::info("file input: {}: resuming in its rotated file {} at offset {}", path(),
               rotated->name, offset);
  return rotated->modified_ns;
}

void TailedFileReader::resume_lost(const FileResumePoint& point) {
  count(&TailedFileCounters::resume_lost);
  spdlog::warn(
      "file input: {}: the saved position (inode {}, offset {}) is gone or its file changed; "
      "lines after it may be lost",
      path(), point.position.file.inode, point.position.offset);
  finished_files_.push_back(point.position.file);  // its saved position means nothing now
}

void TailedFileReader::follow_named(const FileStatus& named, Clock::time_point now) {
  current_.emplace();
  current_->name = path();
  current_->identity = named.identity;
  current_->named_modified_ns = named.modified_ns;
  current_->last_growth = now;
}

TailedFileReader::Step TailedFileReader::finish_older(Pass& pass) {
  TrackedFile& file = older_.front();
  if (!file.fd.valid()) {
    // Make room: the followed file is reopened by identity when its turn comes.
    if (fds_held() >= pass.max_fds && current_) current_->fd.reset();
    if (!reopen(file)) {
      if (file.offset < file.end_seen) {
        count(&TailedFileCounters::resume_lost);
        spdlog::warn(
            "file input: {}: a rotated file (inode {}) vanished before it was read to its end; "
            "lines may be lost",
            path(), file.identity.inode);
      }
      remember_finished(file);
      drop_oldest();
      return Step::kDone;
    }
    file.last_growth = pass.now;
    if (file.finished_fingerprint != 0 &&
        json_file::file_fingerprint(file.fd.get()) == file.finished_fingerprint) {
      drop_oldest();  // read to its end already
      return Step::kDone;
    }
  }
  const ReadEnd end = read_file(file, pass, /*file_finished=*/false);
  if (end == ReadEnd::kBudgetSpent) return Step::kBudgetSpent;
  if (end != ReadEnd::kEndOfFile) {
    if (end == ReadEnd::kRewritten) {
      spdlog::warn("file input: {}: rotated file {} was rewritten under the reader; leaving it",
                   path(), file.name);
    }
    remember_finished(file);
    drop_oldest();
    return Step::kDone;
  }
  const auto status = status_of_fd(file.fd.get());
  const bool finished = !file.wait_for_late_lines || older_.size() > 1 || pass.max_fds < 2 ||
                        !status || !status->linked ||
                        pass.now - file.last_growth >= options_.rotate_wait;
  if (!finished) return Step::kKeepOpen;
  if (!finish_file(file, pass)) return Step::kBudgetSpent;
  spdlog::debug("file input: {}: finished inode {} at offset {}", path(), file.identity.inode,
                file.offset);
  remember_finished(file);
  drop_oldest();
  return Step::kDone;
}

bool TailedFileReader::reopen(TrackedFile& file) {
  if (!file.name.empty()) {
    file.fd = open_if_identity(file.name, file.identity);
    if (file.fd.valid()) return true;
  }
  const auto found = rotated_.find(file.identity);
  if (!found) return false;
  file.fd = open_if_identity(found->name, file.identity);
  if (!file.fd.valid()) return false;
  file.name = found->name;
  return true;
}

bool TailedFileReader::finish_file(TrackedFile& file, Pass& pass) {
  return read_file(file, pass, /*file_finished=*/true) != ReadEnd::kBudgetSpent;
}

TailedFileReader::Step TailedFileReader::follow_current(Pass& pass) {
  TrackedFile& file = *current_;
  if (!file.fd.valid()) {
    if (fds_held() >= pass.max_fds) return Step::kCaughtUp;  // no fd to spare this turn
    file.fd = open_if_identity(path(), file.identity);
    if (!file.fd.valid()) {
      // The path names another file now, or none: this one was rotated or deleted meanwhile.
      rotate_current(pass);
      return Step::kChanged;
    }
  }
  const auto status = status_of_fd(file.fd.get());
  if (!status) {
    count(&TailedFileCounters::read_errors);
    spdlog::warn("file input: cannot stat {}: {}", path(), std::strerror(errno));
    return Step::kCaughtUp;
  }
  if (status->size < file.offset ||
      (status->size > file.offset && file.offset > 0 && file.fingerprint != 0 &&
       json_file::file_fingerprint(file.fd.get()) != file.fingerprint)) {
    restart_truncated(pass);
    return Step::kChanged;
  }
  switch (read_file(file, pass, /*file_finished=*/false)) {
    case ReadEnd::kBudgetSpent:
      return Step::kBudgetSpent;
    case ReadEnd::kRewritten:
      restart_truncated(pass);
      return Step::kChanged;
    case ReadEnd::kError:
      return Step::kCaughtUp;
    case ReadEnd::kEndOfFile:
      break;
  }
  const auto named = status_of_path(path());
  if (named && named->identity == file.identity) {
    file.named_modified_ns = named->modified_ns;
    return Step::kCaughtUp;
  }
  rotate_current(pass);
  return Step::kChanged;
}

void TailedFileReader::rotate_current(Pass& pass) {
  const auto named = status_of_path(path());
  const FileIdentity old_identity = current_->identity;
  const std::int64_t old_named_modified_ns = current_->named_modified_ns;
  if (named) {
    count(&TailedFileCounters::rotations);
    spdlog::debug("file input: {} now names inode {}; finishing inode {} first", path(),
                  named->identity.inode, old_identity.inode);
  } else {
    spdlog::debug("file input: {} was removed or renamed; finishing inode {}", path(),
                  old_identity.inode);
  }
  current_->wait_for_late_lines = true;
  older_.push_back(std::move(*current_));
  current_.reset();
  // Rotated more than once since we last looked: the files in between are read before the
  // path's new file.
  queue_rotated_after(old_named_modified_ns, named ? named->identity : FileIdentity{}, pass.now);
}

void TailedFileReader::queue_rotated_after(std::int64_t modified_ns, FileIdentity skip,
                                           Clock::time_point now) {
  for (const RotatedFile& rotated : rotated_.list()) {  // oldest first
    if (rotated.modified_ns < modified_ns || rotated.identity == skip ||
        follows(rotated.identity)) {
      continue;
    }
    const auto finished = finished_fingerprint(rotated.identity);
    if (finished && *finished == 0) continue;  // finished, and nothing tells it from a new file
    TrackedFile& file = older_.emplace_back();
    file.name = rotated.name;
    file.identity = rotated.identity;
    file.finished_fingerprint = finished.value_or(0);
    file.end_seen = rotated.size;
    file.last_growth = now;
    spdlog::info("file input: {}: also reading {}, rotated before it was read", path(),
                 rotated.name);
  }
}

void TailedFileReader::restart_truncated(Pass& pass) {
  TrackedFile& file = *current_;
  count(&TailedFileCounters::truncations);
  spdlog::warn("file input: {} was truncated; reading it again from its start", path());
  const std::uint64_t fingerprint = file.fingerprint;
  const std::uint64_t offset = file.offset;
  const bool offset_mid_line = file.offset_mid_line;
  if (file.skipping_line && file.cut_head) emit(file, *file.cut_head, /*truncated=*/true, pass);
  file.skipping_line = false;
  file.cut_head.reset();
  file.partial_end = 0;
  file.offset_mid_line = false;
  file.offset = 0;
  file.end_seen = 0;
  file.fingerprint = 0;
  if (offset == 0 || fingerprint == 0) return;
  // copytruncate: the lines not read yet may be in the copy. Probing it needs an fd.
  if (fds_held() >= pass.max_fds) file.fd.reset();
  queue_copy_of(fingerprint, offset, offset_mid_line, file.identity, pass.now);
}

bool TailedFileReader::queue_copy_of(std::uint64_t fingerprint, std::uint64_t offset,
                                     bool offset_mid_line, FileIdentity original,
                                     Clock::time_point now) {
  std::vector<RotatedFile> candidates = rotated_.list();
  for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {  // newest first
    if (it->identity == original || it->size < offset || follows(it->identity)) continue;
    UniqueFd fd = open_if_identity(it->name, it->identity);
    if (!fd.valid() || json_file::file_fingerprint(fd.get()) != fingerprint ||
        !(offset_mid_line || is_line_start(fd.get(), offset))) {
      continue;
    }
    TrackedFile& file = older_.emplace_back();
    file.name = it->name;
    file.identity = it->identity;
    file.offset = offset;
    file.offset_mid_line = offset_mid_line;
    file.fingerprint = fingerprint;
    file.end_seen = it->size;
    file.last_growth = now;
    spdlog::info("file input: {}: reading the lines not read yet from its copy {}", path(),
                 it->name);
    return true;
  }
  return false;
}

// ---- Lines ----

TailedFileReader::ReadEnd TailedFileReader::read_file(TrackedFile& file, Pass& pass,
                                                      bool file_finished) {
  // The byte before the offset (checked to be the previous line's '\n'), a line, its '\n'.
  const std::size_t max_buffer = max_line_bytes_ + 2;
  std::vector<char>& buffer = pass.buffer;
  if (buffer.empty()) {
    buffer.resize(std::min(max_buffer, std::max(options_.read_chunk_bytes, kMinTailReadBytes)));
  }
  const auto spend = [&](std::size_t bytes) {
    pass.budget -= std::min(pass.budget, bytes);
    return pass.budget == 0;
  };
  for (;;) {
    // Reading from one byte early checks that nothing rewrote the file under our offset.
    const bool guard = file.offset > 0 && !file.skipping_line && !file.offset_mid_line;
    const ssize_t n = read_at(file.fd.get(), buffer.data(), buffer.size(), file.offset - guard);
    if (n < 0) {
      count(&TailedFileCounters::read_errors);
      spdlog::warn("file input: cannot read {}: {}", file.name, std::strerror(errno));
      return ReadEnd::kError;
    }
    const bool short_read = static_cast<std::size_t>(n) < buffer.size();
    std::string_view data(buffer.data(), static_cast<std::size_t>(n));
    if (guard) {
      if (data.empty()) return ReadEnd::kEndOfFile;  // shrank: the caller sees it
      if (data.front() != '\n') return ReadEnd::kRewritten;
      data.remove_prefix(1);
    }

    std::size_t consumed = 0;
    for (std::size_t newline; (newline = data.find('\n', consumed)) != std::string_view::npos;) {
      const std::string_view line = data.substr(consumed, newline - consumed);
      file.offset += line.size() + 1;
      file.offset_mid_line = false;
      consumed = newline + 1;
      count(&TailedFileCounters::bytes, line.size() + 1);
      if (file.skipping_line) {
        file.skipping_line = false;
        if (file.cut_head) emit(file, *file.cut_head, /*truncated=*/true, pass);
        file.cut_head.reset();
      } else {
        emit(file, line, /*truncated=*/false, pass);
      }
      if (spend(line.size() + 1)) {
        file.last_growth = pass.now;
        return ReadEnd::kBudgetSpent;
      }
    }
    std::string_view rest = data.substr(consumed);
    if (!short_read && consumed > 0) continue;  // read on from the partial line's start
    if (!short_read) {                          // a whole buffer without '\n'
      if (!file.skipping_line && buffer.size() < max_buffer) {
        buffer.resize(std::min(max_buffer, buffer.size() * 2));
        continue;
      }
      if (!file.skipping_line) {  // longer than max_line_bytes: keep its head, skip the rest
        file.skipping_line = true;
        file.cut_head.emplace(rest.substr(0, max_line_bytes_));
      }
      file.offset += rest.size();
      count(&TailedFileCounters::bytes, rest.size());
      if (spend(rest.size())) {
        file.last_growth = pass.now;
        return ReadEnd::kBudgetSpent;
      }
      continue;
    }

    // At the end of the data for now. `rest` is a last line without '\n' (or more of a line
    // being skipped, which is dropped at once).
    if (file.skipping_line && !rest.empty()) {
      file.offset += rest.size();
      count(&TailedFileCounters::bytes, rest.size());
      rest = {};
    }
    const std::uint64_t end = file.offset + rest.size();
    if (end > file.end_seen) file.last_growth = pass.now;
    file.end_seen = end;
    if (!file.skipping_line && rest.empty()) {
      file.partial_end = 0;
      return ReadEnd::kEndOfFile;
    }
    if (!file_finished && !unterminated_line_expired(file, end, pass.now)) {
      return ReadEnd::kEndOfFile;
    }
    // Its file is finished (or the line waited long enough): deliver it as it is.
    file.partial_end = 0;
    file.offset_mid_line = true;
    if (file.skipping_line) {
      file.skipping_line = false;
      if (file.cut_head) {
        count(&TailedFileCounters::unterminated_lines);
        emit(file, *file.cut_head, /*truncated=*/true, pass);
      }
      file.cut_head.reset();
    } else {
      file.offset = end;
      count(&TailedFileCounters::bytes, rest.size());
      count(&TailedFileCounters::unterminated_lines);
      emit(file, rest, /*truncated=*/false, pass);
    }
    return ReadEnd::kEndOfFile;
  }
}

bool TailedFileReader::unterminated_line_expired(TrackedFile& file, std::uint64_t end,
                                                 Clock::time_point now) {
  if (file.partial_end != end) {
    file.partial_end = end;
    file.partial_since = now;
  }
  return options_.unterminated_line_timeout.count() > 0 &&
         now - file.partial_since >= options_.unterminated_line_timeout;
}

void TailedFileReader::emit(TrackedFile& file, std::string_view text, bool truncated, Pass& pass) {
  if (file.fingerprint == 0 && file.fd.valid()) {
    file.fingerprint = json_file::file_fingerprint(file.fd.get());
  }
  LogRecord& record = pass.out.emplace_back();
  record.time = pass.read_time;
  record.index_at_time = ranks_.next(pass.read_time);
  record.truncated = truncated;
  record.file_source = source_for_records_.for_record();
  record.message.assign(text.data(), text.size());
  record.file_position = FilePosition{file.identity, file.offset};
  record.file_fingerprint = file.fingerprint;
  count(&TailedFileCounters::lines);
  if (truncated) count(&TailedFileCounters::lines_truncated);
}

}  // namespace lc::file_input
