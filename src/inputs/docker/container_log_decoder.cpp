#include "inputs/docker/container_log_decoder.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace lc::docker_input {
namespace {

// A line buffer that grew past this for one long line gives the memory back afterwards:
// thousands of idle streams must not each keep a megabyte.
constexpr std::size_t kKeptLineCapacity = 64 * 1024;

// Appends without letting geometric growth push the capacity past `limit`.
void append_bounded(std::string& buffer, std::string_view bytes, std::size_t limit) {
  const std::size_t needed = buffer.size() + bytes.size();
  if (needed > buffer.capacity()) {
    buffer.reserve(std::min(limit, std::max(needed, 2 * buffer.capacity())));
  }
  buffer.append(bytes);
}

void clear_line_buffer(std::string& buffer) {
  if (buffer.capacity() > kKeptLineCapacity) {
    std::string().swap(buffer);
  } else {
    buffer.clear();
  }
}

LogStream to_log_stream(FrameStream stream) {
  // stdin never carries container output; should a frame claim it, it is kept as stdout.
  return stream == FrameStream::kStderr ? LogStream::kStderr : LogStream::kStdout;
}

}  // namespace

ContainerLogDecoder::ContainerLogDecoder(ContainerMetadataPtr container, bool tty,
                                         std::uint32_t max_line_bytes, ContainerPosition resume)
    : container_(std::move(container)),
      tty_(tty),
      max_line_bytes_(std::max<std::uint32_t>(max_line_bytes, 1)),
      resume_(resume) {}

bool ContainerLogDecoder::feed(std::string_view bytes, std::vector<LogRecord>& out) {
  if (!usable_) return false;
  container_.end_batch();  // the records of the previous call are in the pipeline now
  bool ok = true;
  if (tty_) {
    ok = feed_tty(bytes, out);
  } else {
    const DemuxStatus status =
        demuxer_.feed(bytes, [&](const Frame& frame) { return on_frame(frame, out); });
    if (status == DemuxStatus::kMalformedHeader) ++counters_.malformed_frames;
    ok = status == DemuxStatus::kOk;
  }
  usable_ = ok;
  return ok;
}

void ContainerLogDecoder::finish(std::vector<LogRecord>& out) {
  if (!usable_) return;  // a failed stream is re-read from its checkpoint: emit nothing more
  usable_ = false;
  container_.end_batch();
  if (tty_) {
    if (tty_state_ == TtyState::kLookahead && held_size_ > 0) {
      append_to_line(LogStream::kStdout, std::string_view(held_.data(), held_size_), out);
    } else if (tty_state_ == TtyState::kTimestamp && held_size_ > 0) {
      ++counters_.malformed_frames;  // the stream ended inside a timestamp
    }
    held_size_ = 0;
  } else if (demuxer_.has_partial_frame()) {
    ++counters_.malformed_frames;  // the stream ended inside a frame
  }
  close_line(LogStream::kStdout, false, out);
  close_line(LogStream::kStderr, false, out);
}

bool ContainerLogDecoder::ends_inside_a_pieced_line() const {
  if (tty_) return tty_state_ == TtyState::kLookahead;
  return std::any_of(pending_.begin(), pending_.end(), [](const PendingLine& line) {
    return line.open && line.piece_bytes == kDockerPieceBytes;
  });
}

bool ContainerLogDecoder::on_frame(const Frame& frame, std::vector<LogRecord>& out) {
  if (frame.payload.empty()) return true;  // carries no message
  const std::optional<TimestampedMessage> message = timestamps_.split(frame.payload);
  if (!message) {
    ++counters_.bad_timestamps;
    return false;
  }
  const LogStream stream = to_log_stream(frame.stream);
  std::string_view content = message->content;
  const bool newline = !content.empty() && content.back() == '\n';
  if (newline) content.remove_suffix(1);

  PendingLine& line = pending(stream);
  if (line.open && line.time != message->time) close_line(stream, false, out);
  if (!line.open && newline) {
    emit_one_piece_line(stream, message->time, content, out);  // the common case
    return true;
  }
  begin_piece(stream, message->time, out);
  append_to_line(stream, content, out);
  if (newline) close_line(stream, true, out);
  return true;
}

bool ContainerLogDecoder::feed_tty(std::string_view bytes, std::vector<LogRecord>& out) {
  while (!bytes.empty()) {
    switch (tty_state_) {
      case TtyState::kTimestamp:
        if (!read_tty_timestamp(bytes, out)) return false;
        break;
      case TtyState::kContent:
        read_tty_content(bytes, out);
        break;
      case TtyState::kLookahead:
        if (!read_tty_lookahead(bytes, out)) return false;
        break;
    }
  }
  return true;
}

ContainerLogDecoder::HeldScan ContainerLogDecoder::hold_until_space(std::string_view& bytes,
                                                                    bool stop_at_newline) {
  const std::size_t window = std::min(bytes.size(), held_.size() - held_size_);
  HeldScan result = HeldScan::kNeedMore;
  std::size_t taken = 0;
  while (taken < window) {
    const char c = bytes[taken++];
    if (c == ' ') {
      result = HeldScan::kSpace;
      break;
    }
    if (c == '\n' && stop_at_newline) {
      result = HeldScan::kNewline;
      break;
    }
  }
  std::memcpy(held_.data() + held_size_, bytes.data(), taken);
  held_size_ += taken;
  bytes.remove_prefix(taken);
  if (result == HeldScan::kNeedMore && held_size_ == held_.size()) result = HeldScan::kFull;
  return result;
}

bool ContainerLogDecoder::read_tty_timestamp(std::string_view& bytes, std::vector<LogRecord>& out) {
  std::optional<TimestampNs> time;
  const void* space = nullptr;
  if (held_size_ == 0) {
    // The whole timestamp is nearly always inside this call: parse it where it lies.
    space = std::memchr(bytes.data(), ' ', std::min(bytes.size(), held_.size()));
    if (space != nullptr) {
      const auto length = static_cast<std::size_t>(static_cast<const char*>(space) - bytes.data());
      time = timestamps_.parse(bytes.substr(0, length));
      bytes.remove_prefix(length + 1);
    }
  }
  if (space == nullptr) {
    const HeldScan scan = hold_until_space(bytes, false);
    if (scan == HeldScan::kNeedMore) return true;
    if (scan == HeldScan::kSpace) {
      time = timestamps_.parse(std::string_view(held_.data(), held_size_ - 1));
    }
    held_size_ = 0;
  }
  if (!time) {
    ++counters_.bad_timestamps;
    return false;
  }
  start_tty_piece(*time, out);
  return true;
}

void ContainerLogDecoder::read_tty_content(std::string_view& bytes, std::vector<LogRecord>& out) {
  // Look for the newline only up to the piece size: a longer piece is dockerd's cut.
  const std::size_t window = std::min(bytes.size(), kDockerPieceBytes - tty_piece_bytes_);
  const void* newline = std::memchr(bytes.data(), '\n', window);
  if (newline == nullptr) {
    append_to_line(LogStream::kStdout, bytes.substr(0, window), out);
    bytes.remove_prefix(window);
    tty_piece_bytes_ += window;
    if (tty_piece_bytes_ == kDockerPieceBytes) tty_state_ = TtyState::kLookahead;
    return;
  }
  const auto length = static_cast<std::size_t>(static_cast<const char*>(newline) - bytes.data());
  PendingLine& line = pending(LogStream::kStdout);
  if (line.bytes.empty() && !line.dropping && line.pieces.empty()) {
    emit_one_piece_line(LogStream::kStdout, line.time, bytes.substr(0, length), out);
    line.open = false;
  } else {
    append_to_line(LogStream::kStdout, bytes.substr(0, length), out);
    close_line(LogStream::kStdout, true, out);
  }
  bytes.remove_prefix(length + 1);
  tty_state_ = TtyState::kTimestamp;
}

bool ContainerLogDecoder::read_tty_lookahead(std::string_view& bytes, std::vector<LogRecord>& out) {
  const HeldScan scan = hold_until_space(bytes, true);
  if (scan == HeldScan::kNeedMore) return true;
  if (scan == HeldScan::kSpace) {
    const std::optional<TimestampNs> time =
        timestamps_.parse(std::string_view(held_.data(), held_size_ - 1));
    if (time) {
      held_size_ = 0;
      start_tty_piece(*time, out);
      return true;
    }
  }
  // Not a timestamp: the piece was longer than dockerd's cut, and these bytes continue it.
  std::array<char, kMaxTimestampBytes + 1> replay;
  const std::size_t replay_size = held_size_;
  std::memcpy(replay.data(), held_.data(), replay_size);
  held_size_ = 0;
  tty_state_ = TtyState::kContent;
  tty_piece_bytes_ = 0;
  return feed_tty(std::string_view(replay.data(), replay_size), out);
}

void ContainerLogDecoder::start_tty_piece(TimestampNs time, std::vector<LogRecord>& out) {
  begin_piece(LogStream::kStdout, time, out);
  tty_state_ = TtyState::kContent;
  tty_piece_bytes_ = 0;
}

void ContainerLogDecoder::begin_piece(LogStream stream, TimestampNs time,
                                      std::vector<LogRecord>& out) {
  PendingLine& line = pending(stream);
  // A piece without newline followed by another timestamp was a whole line (the last output
  // before the stream's writer closed): dockerd gives every piece of one line the same stamp.
  if (line.open && line.time != time) close_line(stream, false, out);
  if (!line.open) {
    line.open = true;
    line.dropping = false;
    line.time = time;
    line.pieces.clear();
  } else {
    line.pieces.push_back(line.piece.value());  // the previous piece of this line ended
  }
  line.piece = PieceHash();
  line.piece_bytes = 0;
}

void ContainerLogDecoder::append_to_line(LogStream stream, std::string_view bytes,
                                         std::vector<LogRecord>& out) {
  PendingLine& line = pending(stream);
  line.piece.add(bytes);
  line.piece_bytes += bytes.size();
  if (line.dropping || bytes.empty()) return;
  // TTY lines end in "\r\n": one byte of slack so that a line of exactly the cap is not cut.
  const std::size_t limit = max_line_bytes_ + (tty_ ? 1 : 0);
  if (line.bytes.size() + bytes.size() <= limit) {
    append_bounded(line.bytes, bytes, limit);
    return;
  }
  const std::size_t room = max_line_bytes_ - std::min(line.bytes.size(), max_line_bytes_);
  append_bounded(line.bytes, bytes.substr(0, room), limit);
  line.bytes.resize(max_line_bytes_);
  ++counters_.truncated_lines;
  emit(stream, line.time, line.bytes, true, out);
  line.dropping = true;
  clear_line_buffer(line.bytes);
}

void ContainerLogDecoder::close_line(LogStream stream, bool newline, std::vector<LogRecord>& out) {
  PendingLine& line = pending(stream);
  if (line.open) {
    line.pieces.push_back(line.piece.value());
    if (replayed_tails_.is_tail(stream, line.time, line.pieces)) {
      ++counters_.replayed_lines;
    } else {
      if (!line.dropping) emit_line(stream, line.time, line.bytes, newline, out);
      if (line.pieces.size() > 1) replayed_tails_.remember(stream, line.time, line.pieces);
    }
    line.pieces.clear();
  }
  line.open = false;
  line.dropping = false;
  clear_line_buffer(line.bytes);
}

void ContainerLogDecoder::emit_line(LogStream stream, TimestampNs time, std::string_view line,
                                    bool newline, std::vector<LogRecord>& out) {
  if (newline && tty_ && !line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.size() > max_line_bytes_) {
    ++counters_.truncated_lines;
    emit(stream, time, line.substr(0, max_line_bytes_), true, out);
    return;
  }
  emit(stream, time, line, false, out);
}

void ContainerLogDecoder::emit_one_piece_line(LogStream stream, TimestampNs time,
                                              std::string_view line, std::vector<LogRecord>& out) {
  if (replayed_tails_.may_be_tail(stream, time)) {
    PieceHash piece;
    piece.add(line);  // as a joined line's pieces are hashed: without the newline
    const std::uint64_t pieces[] = {piece.value()};
    if (replayed_tails_.is_tail(stream, time, pieces)) {
      ++counters_.replayed_lines;
      return;
    }
  }
  emit_line(stream, time, line, true, out);
}

void ContainerLogDecoder::emit(LogStream stream, TimestampNs time, std::string_view message,
                               bool truncated, std::vector<LogRecord>& out) {
  // Before ranking: a replayed line must not take a rank a fresh read would not give it.
  if (replays_.is_replay(time, stream, message)) {
    ++counters_.replayed_lines;
    return;
  }
  const std::uint32_t index = ranks_.next(stream, time);
  if (bool& expected = expect_resume_record_[stream == LogStream::kStderr]; expected) {
    expected = false;
    if (!resume_.delivered().covers(stream, time, index)) ++counters_.history_gaps;
  }
  if (resume_.drops(stream, time, index)) {
    ++counters_.skipped_records;
    return;
  }

  LogRecord& record = out.emplace_back();
  record.time = time;
  record.stream = stream;
  record.index_at_time = index;
  record.truncated = truncated;
  record.container = container_.for_record();
  record.message.assign(message);
}

}  // namespace lc::docker_input
