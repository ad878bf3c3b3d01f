#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/batch_owner.hpp"
#include "core/container_metadata.hpp"
#include "core/container_position.hpp"
#include "core/file_position.hpp"
#include "core/log_record.hpp"
#include "core/timestamp_ranks.hpp"
#include "inputs/json_file/json_file_line_parser.hpp"
#include "inputs/json_file/log_file_chain.hpp"
#include "inputs/json_file/open_log_file.hpp"
#include "inputs/json_file/unique_fd.hpp"
#include "processors/multiline/container_stream_joiners.hpp"

namespace lc::json_file {

struct JsonFileInputMetrics;

using lc::FileResumePoint;

struct ContainerLogFileReaderOptions {
  enum class StartAt : std::uint8_t { kBeginning, kEnd };

  std::uint32_t max_line_bytes = 1024 * 1024;  // cap on a joined line (0 is treated as 1)
  StartAt start_at = StartAt::kBeginning;      // first sight, without a resume point
  std::size_t max_rotated_files = 100;         // highest path.N probed
  std::size_t read_chunk_bytes = 64 * 1024;    // one pread; grows for longer lines
  // Stack traces joined per stream (stdout, stderr) before the records exist; none: a record
  // per line.
  std::array<std::optional<multiline::StreamJoining>, 2> multiline;
};

// Cumulative, per reader (the shared JsonFileInputMetrics get the same increments).
struct FileReaderCounters {
  std::uint64_t records = 0;
  std::uint64_t invalid_lines = 0;
  std::uint64_t truncated_lines = 0;
  std::uint64_t rotations = 0;
  std::uint64_t file_truncations = 0;
  std::uint64_t resume_lost = 0;
  std::uint64_t skipped_delivered = 0;  // read again after a resume, proven delivered by bytes
  std::uint64_t rotated_away = 0;       // rotated files deleted before they were read (a gap)
  std::uint64_t read_errors = 0;
  std::uint64_t bytes_read = 0;
};

// Follows one container's json-file log (`<id>-json.log` and its rotated `.1`, `.2`, ...,
// or `.2.gz`... with compress=true) and turns its lines into LogRecords: joins dockerd's 16 KiB
// pieces, caps line length, numbers records sharing a timestamp, and stamps each with the file
// position to resume from. Holds one fd (two for an instant at a rotation); it reads with
// pread from the offset after the last complete line, so a partial last line is simply read
// again once it is complete. Offsets in a .gz are of its uncompressed content. Synchronous and
// single-threaded: call it when the FileChangeWatcher says the directory changed.
//
// Positions: a record's file_position is the place to resume from so that no later record is
// lost: just after its last line, except while a line of the other stream is still being
// joined (interleaved pieces), when it is that line's start; its file_line_end is just after
// its own last line. A resume reads from the first and drops, by their bytes, the records that
// end at or before the second (delivered): never a record because of its timestamp.
class ContainerLogFileReader {
 public:
  // dockerd cuts a line without a newline into pieces of this many bytes; a shorter entry
  // without "\n" is the last, unterminated line of a container that exited.
  static constexpr std::size_t kDockerPieceBytes = 16 * 1024;

  // `parser` is shared by the readers of a thread and must outlive this reader. `resume`: the
  // checkpoint; when its file is gone the reader starts at the oldest file still present and
  // counts resume_lost. `resume_position`: the container's ContainerPosition of that same
  // checkpoint, so that index_at_time continues where it stopped, and the time of an invalid
  // line read before any valid one.
  ContainerLogFileReader(ContainerMetadataPtr container, std::string log_path,
                         JsonFileLineParser& parser, ContainerLogFileReaderOptions options = {},
                         std::optional<FileResumePoint> resume = std::nullopt,
                         ContainerPosition resume_position = {},
                         JsonFileInputMetrics* metrics = nullptr);
  ~ContainerLogFileReader();
  ContainerLogFileReader(const ContainerLogFileReader&) = delete;
  ContainerLogFileReader& operator=(const ContainerLogFileReader&) = delete;

  // Opens the file to read first now, if none is open (a removed container's log stays
  // readable through it). False when there is no log file (yet, or any more).
  bool open_now() { return current_.has_value() || open_start_file(); }

  // Reads what is there now, following rotations, and appends complete records to `out`.
  // Consumes at most about `max_bytes` of the file per call. Returns true when at the end of
  // the data for now, false when it stopped at max_bytes (call again).
  bool read_available(std::vector<LogRecord>& out, std::size_t max_bytes);

  // The container is gone (or the agent stops following it): emits lines whose last piece
  // never came.
  void finish(std::vector<LogRecord>& out);

  // Delivers the multi-line groups whose flush_timeout has passed: call when read_available()
  // said it is at the end of the data.
  void flush_expired(std::vector<LogRecord>& out);
  // When flush_expired() may have something to deliver; nullopt while no group is open.
  std::optional<std::chrono::steady_clock::time_point> flush_deadline() const;

  // The container was renamed: later records carry the new metadata.
  void set_container(ContainerMetadataPtr container) { container_.reset(std::move(container)); }

  // Fingerprint of a file this reader has open or has just finished (for checkpoints next to
  // a record's file_position); 0 when unknown.
  std::uint64_t fingerprint(const FileIdentity& file);

  // Where the next line will be read from; nullopt while no file is open.
  std::optional<FilePosition> read_position() const;
  bool has_open_file() const { return current_.has_value(); }
  bool opened_once() const { return opened_once_; }
  const FileReaderCounters& counters() const { return counters_; }
  const std::string& log_path() const { return path_; }

 private:
  // A line whose pieces have begun but whose last piece has not been read yet.
  struct PendingLine {
    bool open = false;
    bool dropping = false;  // already emitted truncated: discard the rest of its pieces
    TimestampNs time = 0;   // its first piece's
    FilePosition start;     // where its first piece begins
    std::uint64_t start_sequence = 0;
    std::string text;
  };

  // Where a line (its first piece) begins, and its order among the lines read.
  struct LineStart {
    FilePosition position;
    std::uint64_t sequence = 0;
  };
  // The first line of a stream's open multi-line group.
  struct GroupStart {
    FilePosition position;
    std::uint64_t fingerprint = 0;
    std::uint64_t sequence = 0;
  };
  struct ResumePlace {
    FilePosition position;
    std::uint64_t fingerprint = 0;
  };
  enum class ReadEnd : std::uint8_t { kEndOfFile, kBudgetSpent, kError };
  enum class FileChange : std::uint8_t { kNone, kRestarted, kRotated };

  bool open_start_file();
  // nullptr when opened at the point, else why the point no longer holds.
  const char* open_resume_file(const std::vector<ChainFile>& chain, const FileResumePoint& point);
  const char* open_at_point(const ChainFile& file, const FileResumePoint& point);
  // After a resume at chain[at]: what each stream delivered, to drop when read again.
  void set_skips(const FileResumePoint& point, const std::vector<ChainFile>& chain, std::size_t at);
  bool open_oldest(std::vector<ChainFile> chain);
  void start_at_end(const std::vector<ChainFile>& chain);
  void set_current(OpenLogFile file);
  void close_current();

  bool read_files(std::vector<LogRecord>& out, std::size_t max_bytes);
  ReadEnd read_current(std::vector<LogRecord>& out, std::size_t& budget, bool file_finished,
                       std::vector<char>& buffer);
  FileChange check_file_change(std::vector<LogRecord>& out);
  // After a rotation: closes the finished file and opens the one after it. False when there
  // is no next file yet (the rename is done but dockerd has not created the new file).
  bool switch_to_next_file();
  // Index of the first file of `chain` newer than the open one; nullopt when there is none yet.
  std::optional<std::size_t> next_in_chain(const std::vector<ChainFile>& chain, bool linked);
  void restart_from_zero(std::vector<LogRecord>& out);
  void count_rotated_away(std::size_t files);
  // A .gz that is corrupt or cut short: counted as a read error, the rest of it skipped.
  void report_unreadable(const char* why);

  void handle_line(std::string_view line, FilePosition start, std::vector<LogRecord>& out);
  void handle_oversized_head(std::string_view head);
  void append_piece(LogStream stream, std::string_view text, std::vector<LogRecord>& out);
  void close_line(LogStream stream, std::vector<LogRecord>& out);
  void emit_invalid(std::string_view raw, bool truncated, std::vector<LogRecord>& out);
  // Invalid lines read before any time was known get the next valid line's, or at the end of a
  // read the time the file was last written.
  void date_undated(std::vector<LogRecord>& out, TimestampNs time);
  void date_undated_by_file(std::vector<LogRecord>& out);
  // Whether a line of `stream` ending at `end` was delivered before the resume (its stream's
  // delivered end; see FileResumePoint).
  bool delivered_before(LogStream stream, const FilePosition& end);
  LogRecord line_record(LogStream stream, TimestampNs time, std::string message, bool truncated);
  // A whole valid line: through its stream's joiner, if any, then delivered.
  void emit(LogStream stream, TimestampNs time, std::string message, bool truncated, LineStart at,
            std::vector<LogRecord>& out);
  // Places a record in `out` unless a resume proved it delivered: rank, resume place, line end.
  void deliver(LogRecord record, std::vector<LogRecord>& out);
  void deliver_joined(std::vector<LogRecord>& out);
  ResumePlace resume_place_now();
  PendingLine& pending(LogStream stream) { return pending_[stream == LogStream::kStderr]; }
  void count(std::uint64_t FileReaderCounters::*field, std::uint64_t n = 1);

  BatchOwner<const ContainerMetadata> container_;  // a block per read_available()
  const std::string path_;
  JsonFileLineParser& parser_;
  const ContainerLogFileReaderOptions options_;
  const std::size_t max_line_bytes_;
  JsonFileInputMetrics* const metrics_;

  std::optional<FileResumePoint> resume_;
  bool opened_once_ = false;
  std::optional<OpenLogFile> current_;
  FileIdentity previous_identity_;  // the last file finished, for fingerprint()
  std::uint64_t previous_fingerprint_ = 0;
  RotationSuccessors successors_;  // live files seen after current_, to tell a gap
  bool reported_rotated_away_ = false;

  // A raw line longer than the parser accepts: its head is kept (as an invalid record) and the
  // rest skipped up to its '\n'. Also used to align a start at the end onto a line start.
  bool skipping_line_ = false;
  bool oversized_open_ = false;
  std::string oversized_head_;

  FilePosition last_line_end_;  // end of the line being handled: the default record position
  std::uint64_t line_sequence_ = 0;
  std::array<PendingLine, 2> pending_;  // stdout, stderr: their pieces may interleave
  multiline::ContainerStreamJoiners joiners_;
  std::array<GroupStart, 2> group_starts_;
  std::vector<LogRecord> joined_;  // what a joiner just completed
  StreamRanks ranks_;
  TimestampNs last_time_ = 0;
  bool has_last_time_ = false;
  std::vector<std::size_t> undated_;  // indexes in `out` of invalid lines waiting for a time
  // After a resume: records ending at or before this place were delivered (see FileResumePoint);
  // `skip_file_before_` is the file the resume began in, when the place is in a later one.
  std::array<std::optional<FilePosition>, 2> skip_through_;  // stdout, stderr
  FileIdentity skip_file_before_;
  // Where the last record of each stream ends (stdout, stderr), and where reading began.
  std::array<FilePosition, 2> stream_ends_;
  FilePosition start_place_;
  std::optional<LineStart> in_flight_;  // the line being handled, until it is placed
  FileReaderCounters counters_;
};

}  // namespace lc::json_file
