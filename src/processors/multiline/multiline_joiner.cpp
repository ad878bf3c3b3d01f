#include "processors/multiline/multiline_joiner.hpp"

#include "metrics/metrics_registry.hpp"

namespace lc::multiline {

namespace {

void count(Counter* counter) {
  if (counter != nullptr) counter->inc();
}

}  // namespace

MultilineJoiner::MultilineJoiner(std::shared_ptr<const MultilineRules> rules, JoinLimits limits,
                                 JoinCounters counters)
    : rules_(std::move(rules)), limits_(limits), counters_(counters) {
  limits_.max_lines = std::max<std::size_t>(limits_.max_lines, 1);
  limits_.max_bytes = std::max<std::size_t>(limits_.max_bytes, 1);
}

MultilineJoiner::Took MultilineJoiner::push(LogRecord line, Clock::time_point now,
                                            std::vector<LogRecord>& out) {
  count(counters_.lines_in);
  if (pending_) {
    const auto gap = std::chrono::duration_cast<std::chrono::nanoseconds>(limits_.flush_timeout);
    const bool split =
        (limits_.split_at_file_change && line.file_position.file != pending_->file_position.file) ||
        (limits_.split_on_time_gap && line.time > last_time_ + gap.count());
    const std::optional<int> to = split ? std::nullopt : rules_->continues(state_, line.message);
    if (to && fits(line)) {
      append(line);
      state_ = *to;
      last_line_ = now;
      last_time_ = line.time;
      if (state_ == kClosed) deliver(out);
      return Took::kJoined;
    }
    if (to) {  // at a limit: the group goes out cut, the line goes on as if nothing were open
      pending_->truncated = true;
      count(counters_.truncated);
    }
    deliver(out);
  }
  // A line that continues nothing opens its group from the start state, never from where a
  // group cut before it stood: a re-read from its place after a restart joins the same way.
  const int state = rules_->opens(line.message);
  open(std::move(line), state, now);
  if (state_ != kClosed) return Took::kOpened;
  deliver(out);
  return Took::kAlone;
}

void MultilineJoiner::open(LogRecord line, int state, Clock::time_point now) {
  pending_ = std::move(line);
  state_ = state;
  lines_ = 1;
  last_line_ = now;
  first_time_ = pending_->time;
  last_time_ = pending_->time;
  if (pending_->message.size() > limits_.max_bytes) {
    pending_->message.resize(limits_.max_bytes);
    pending_->truncated = true;
    pending_->valid_utf8 = false;  // the cut may split a character
    count(counters_.truncated);
  }
}

bool MultilineJoiner::fits(const LogRecord& line) const {
  return lines_ < limits_.max_lines &&
         pending_->message.size() + 1 + line.message.size() <= limits_.max_bytes;
}

void MultilineJoiner::append(const LogRecord& line) {
  LogRecord& group = *pending_;
  group.message += '\n';
  group.message += line.message;
  group.truncated = group.truncated || line.truncated;
  group.valid_utf8 = group.valid_utf8 && line.valid_utf8;
  group.file_position = line.file_position;  // the whole group is behind this line
  group.file_line_end = line.file_line_end;
  group.file_fingerprint = line.file_fingerprint;
  if (limits_.position_at_last_line) {
    group.time = line.time;
    group.index_at_time = line.index_at_time;
  }
  ++lines_;
}

void MultilineJoiner::deliver(std::vector<LogRecord>& out) {
  if (!pending_) return;
  if (lines_ > 1) count(counters_.joined);
  count(counters_.records_out);
  LogRecord& record = out.emplace_back(std::move(*pending_));
  if (limits_.renumber) record.index_at_time = ranks_.next(record.time);
  pending_.reset();
  state_ = kClosed;
  lines_ = 0;
}

void MultilineJoiner::flush_expired(Clock::time_point now, std::vector<LogRecord>& out) {
  if (pending_ && now - last_line_ >= limits_.flush_timeout) deliver(out);
}

void MultilineJoiner::flush(std::vector<LogRecord>& out) { deliver(out); }

std::optional<MultilineJoiner::Clock::time_point> MultilineJoiner::deadline() const {
  if (!pending_) return std::nullopt;
  return last_line_ + limits_.flush_timeout;
}

}  // namespace lc::multiline
