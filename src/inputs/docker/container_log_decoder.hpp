#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch_owner.hpp"
#include "core/container_metadata.hpp"
#include "core/container_position.hpp"
#include "core/log_record.hpp"
#include "core/timestamp_ranks.hpp"
#include "inputs/docker/docker_frame_demuxer.hpp"
#include "inputs/docker/replayed_line_filter.hpp"
#include "inputs/docker/replayed_tail_filter.hpp"
#include "inputs/docker/timestamped_message.hpp"

namespace lc::docker_input {

struct DecoderCounters {
  std::uint64_t malformed_frames = 0;  // bad frame header, or the stream ended inside a message
  std::uint64_t bad_timestamps = 0;    // a message that does not start with "<RFC 3339> "
  std::uint64_t truncated_lines = 0;   // lines cut at max_line_bytes
  std::uint64_t skipped_records = 0;   // records the resume position proved delivered
  std::uint64_t replayed_lines = 0;    // lines dockerd sent twice (json-file rotation)
  std::uint64_t history_gaps = 0;      // streams whose last delivered line was gone from the log
};

// Turns the body of GET /containers/{id}/logs?timestamps=1 into LogRecords: demultiplexes
// frames (or reads the raw TTY body), joins dockerd's 16 KiB pieces, caps line length, numbers
// records sharing a timestamp and drops the prefix a resume position proves delivered.
// Pure logic: no I/O, no clock; one instance per stream, used from one thread.
class ContainerLogDecoder {
 public:
  // dockerd's copier cuts a line without a newline into pieces of this size.
  static constexpr std::size_t kDockerPieceBytes = 16 * 1024;

  // tty: the body is raw (no 8-byte frames). max_line_bytes: cap on a joined line (0 is
  // treated as 1). resume: records it covers are dropped, but only in the stream's prefix:
  // after the first record it does not cover, nothing more is filtered.
  ContainerLogDecoder(ContainerMetadataPtr container, bool tty, std::uint32_t max_line_bytes,
                      ContainerPosition resume);

  // Feeds body bytes split anywhere; appends complete records to `out`. Returns false on
  // malformed input (bad frame header, unparsable timestamp): the caller drops the stream and
  // reopens it from its checkpoint. Once false, or after finish(), it always returns false.
  bool feed(std::string_view bytes, std::vector<LogRecord>& out);

  // The stream ended because the container exited: emits pending lines without a newline.
  void finish(std::vector<LogRecord>& out);

  // The container was renamed: later records carry the new metadata.
  void set_container(ContainerMetadataPtr container) { container_.reset(std::move(container)); }

  // For a read from since= the resume position: dockerd deletes the oldest files first, so the
  // last delivered record of each stream comes back first unless it was rotated away, and
  // then the lines after it may be gone too. Counted in history_gaps.
  void expect_resume_record() {
    expect_resume_record_ = {!resume_.delivered().out.empty(), !resume_.delivered().err.empty()};
  }

  // For a follow that starts inside the log: see ResumeFilter::drop_everything_covered.
  void drop_all_delivered() { resume_.drop_everything_covered(); }

  // Whether the body so far ends inside a line dockerd cut into 16 KiB pieces, the rest of
  // which is still to be written (a last piece of exactly 16 KiB without newline).
  bool ends_inside_a_pieced_line() const;

  const DecoderCounters& counters() const { return counters_; }

 private:
  // A line whose pieces have begun but whose newline has not been seen yet.
  struct PendingLine {
    bool open = false;
    bool dropping = false;  // already emitted truncated: discard the rest of its pieces
    TimestampNs time = 0;   // the timestamp all its pieces carry
    std::string bytes;      // joined content so far, at most max_line_bytes (+1 in TTY mode)
    std::vector<std::uint64_t> pieces;  // hashes of its pieces before the current one
    PieceHash piece;                    // the current piece's, so far
    std::size_t piece_bytes = 0;        // the current piece's length, so far
  };

  // The TTY body's parser state: what the next byte belongs to.
  enum class TtyState : std::uint8_t {
    kTimestamp,  // "<timestamp> " opening a message
    kContent,    // message content up to its newline
    kLookahead,  // after a 16 KiB piece: a continuation's timestamp, or more content
  };

  // How hold_until_space stopped.
  enum class HeldScan : std::uint8_t { kSpace, kNewline, kNeedMore, kFull };

  bool on_frame(const Frame& frame, std::vector<LogRecord>& out);
  bool feed_tty(std::string_view bytes, std::vector<LogRecord>& out);
  // Moves bytes into held_ up to and including a space (or a newline, if asked).
  HeldScan hold_until_space(std::string_view& bytes, bool stop_at_newline);
  bool read_tty_timestamp(std::string_view& bytes, std::vector<LogRecord>& out);
  void read_tty_content(std::string_view& bytes, std::vector<LogRecord>& out);
  bool read_tty_lookahead(std::string_view& bytes, std::vector<LogRecord>& out);
  void start_tty_piece(TimestampNs time, std::vector<LogRecord>& out);

  PendingLine& pending(LogStream stream) { return pending_[stream == LogStream::kStderr]; }
  // A piece stamped `time` begins: ends an open line with another timestamp, opens a line.
  void begin_piece(LogStream stream, TimestampNs time, std::vector<LogRecord>& out);
  void append_to_line(LogStream stream, std::string_view bytes, std::vector<LogRecord>& out);
  // Emits the open line; `newline` says whether its newline was seen (TTY strips a '\r').
  void close_line(LogStream stream, bool newline, std::vector<LogRecord>& out);
  void emit_line(LogStream stream, TimestampNs time, std::string_view line, bool newline,
                 std::vector<LogRecord>& out);
  // A whole line in one piece: emitted unless it is the re-sent last piece of a long line.
  void emit_one_piece_line(LogStream stream, TimestampNs time, std::string_view line,
                           std::vector<LogRecord>& out);
  void emit(LogStream stream, TimestampNs time, std::string_view message, bool truncated,
            std::vector<LogRecord>& out);

  BatchOwner<const ContainerMetadata> container_;  // a block per feed()
  const bool tty_;
  const std::size_t max_line_bytes_;
  ResumeFilter resume_;  // since= is a timestamp: the prefix it proves delivered is dropped
  std::array<bool, 2> expect_resume_record_{false, false};  // stdout, stderr: not seen yet
  bool usable_ = true;
  DecoderCounters counters_;
  TimestampPrefixParser timestamps_;
  StreamRanks ranks_;
  ReplayedLineFilter replays_;
  ReplayedTailFilter replayed_tails_;
  std::array<PendingLine, 2> pending_;  // stdout, stderr: their pieces may interleave

  DockerFrameDemuxer demuxer_;

  TtyState tty_state_ = TtyState::kTimestamp;
  std::size_t tty_piece_bytes_ = 0;  // content bytes of the current TTY piece so far
  std::array<char, kMaxTimestampBytes + 1> held_{};  // timestamp bytes straddling calls
  std::size_t held_size_ = 0;
};

}  // namespace lc::docker_input
