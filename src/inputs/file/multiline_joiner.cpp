#include "inputs/file/multiline_joiner.hpp"

#include <stdexcept>

#include "inputs/file/file_input_metrics.hpp"

namespace lc::file_input {

namespace {

UserRegex compile(const std::string& pattern) {
  if (pattern.empty()) throw std::invalid_argument("multiline start_pattern is empty");
  return UserRegex::compile_checked(pattern);
}

}  // namespace

MultilineJoiner::MultilineJoiner(MultilineOptions options, FileInputMetrics* metrics)
    : options_(std::move(options)), pattern_(compile(options_.start_pattern)), metrics_(metrics) {
  options_.max_lines = std::max<std::size_t>(options_.max_lines, 1);
  options_.max_bytes = std::max<std::size_t>(options_.max_bytes, 1);
}

bool MultilineJoiner::starts_record(std::string_view line) const {
  return pattern_.found_in(line) != options_.negate;
}

void MultilineJoiner::push(LogRecord line, Clock::time_point now, std::vector<LogRecord>& out) {
  if (pending_ &&
      (line.file_position.file != pending_->file_position.file || starts_record(line.message))) {
    flush(out);
  }
  if (!pending_) {
    begin(std::move(line), now);
    return;
  }
  LogRecord& record = *pending_;
  last_line_ = now;
  record.file_position = line.file_position;  // the whole record is behind this line
  record.file_fingerprint = line.file_fingerprint;
  ++pending_lines_;
  if (pending_cut_) return;
  if (pending_lines_ > options_.max_lines) {
    cut_pending();
    return;
  }
  record.truncated = record.truncated || line.truncated;
  const std::size_t room = options_.max_bytes - std::min(options_.max_bytes, record.message.size());
  if (line.message.size() + 1 > room) {
    record.message += '\n';
    record.message.append(line.message, 0, room > 0 ? room - 1 : 0);
    record.message.resize(std::min(record.message.size(), options_.max_bytes));
    cut_pending();
    return;
  }
  record.message += '\n';
  record.message += line.message;
}

void MultilineJoiner::begin(LogRecord line, Clock::time_point now) {
  pending_ = std::move(line);
  pending_lines_ = 1;
  pending_cut_ = false;
  last_line_ = now;
  if (pending_->message.size() > options_.max_bytes) {
    pending_->message.resize(options_.max_bytes);
    cut_pending();
  }
}

void MultilineJoiner::cut_pending() {
  pending_cut_ = true;
  pending_->truncated = true;
  ++counters_.truncated_records;
  if (metrics_ != nullptr) metrics_->multiline_truncated.inc();
}

void MultilineJoiner::flush_expired(Clock::time_point now, std::vector<LogRecord>& out) {
  if (pending_ && now - last_line_ >= options_.flush_timeout) flush(out);
}

void MultilineJoiner::flush(std::vector<LogRecord>& out) {
  if (!pending_) return;
  if (pending_lines_ > 1) {
    ++counters_.joined_records;
    if (metrics_ != nullptr) metrics_->multiline_records.inc();
  }
  LogRecord& record = out.emplace_back(std::move(*pending_));
  record.index_at_time = ranks_.next(record.time);
  pending_.reset();
  pending_lines_ = 0;
  pending_cut_ = false;
}

std::optional<FileIdentity> MultilineJoiner::pending_file() const {
  if (!pending_) return std::nullopt;
  return pending_->file_position.file;
}

std::optional<MultilineJoiner::Clock::time_point> MultilineJoiner::deadline() const {
  if (!pending_) return std::nullopt;
  return last_line_ + options_.flush_timeout;
}

}  // namespace lc::file_input
