#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/batch_owner.hpp"
#include "core/file_position.hpp"
#include "core/file_source.hpp"
#include "core/log_record.hpp"
#include "core/timestamp.hpp"
#include "core/timestamp_ranks.hpp"
#include "inputs/file/file_access.hpp"
#include "inputs/file/rotated_file_finder.hpp"

namespace lc::file_input {

struct FileInputMetrics;

struct TailedFileReaderOptions {
  std::uint32_t max_line_bytes = 1024 * 1024;  // longer lines are cut (0 is treated as 1)
  std::size_t read_chunk_bytes = 64 * 1024;    // one pread; grows up to max_line_bytes
  // Names a rotated copy of the file may take (see RotatedFileFinder).
  std::vector<std::string> rotated_names = RotatedFileFinder::default_patterns();
  // After a rename rotation the old file stays open, and is read, until it has not grown for
  // this long: a writer may still be writing to it before it reopens the path.
  std::chrono::milliseconds rotate_wait{5000};
  // A last line without '\n' is held until it completes, or until its file is rotated away or
  // deleted. When non-zero, it is also delivered after this long without the file growing.
  std::chrono::milliseconds unterminated_line_timeout{0};
};

// Cumulative, per reader (the shared FileInputMetrics get the same increments).
struct TailedFileCounters {
  std::uint64_t lines = 0;
  std::uint64_t bytes = 0;
  std::uint64_t lines_truncated = 0;
  std::uint64_t unterminated_lines = 0;
  std::uint64_t rotations = 0;
  std::uint64_t truncations = 0;
  std::uint64_t resume_lost = 0;
  std::uint64_t read_errors = 0;
};

// Follows one path of plain-text lines (no JSON) and turns each line into a LogRecord stamped
// with the time it was read and the position just after it. Reads with pread from the offset
// after the last complete line, so a partial last line is simply read again once complete.
//
// It follows the path through:
// - rename rotation (the path names a new file): the old file is read to its end first and
//   kept open until it has been quiet for rotate_wait (lines a writer adds after the rename are
//   not lost), while the new file is read from its start; files rotated more than once between
//   two reads are found by their rotated names and read in between;
// - copytruncate: a file shorter than the offset, or rewritten under it (the byte before the
//   offset is no longer '\n', or the first line's fingerprint changed), is read again from 0,
//   after the lines not read yet are taken from the rotated copy when one carries the same
//   fingerprint;
// - deletion: the file is read to its end and closed at once;
// - symlinks: the link is followed; a re-pointed link is a rotation.
//
// Each record carries the file it was read from (file_position): positions are saved per file,
// so that during rotate_wait both the rotated file's place and the new file's are kept, and a
// restart resumes each of them (the constructor's `resume`; take_finished_files() says when a
// file's place can be dropped).
//
// Holds at most two fds (the file being followed and one rotated file being finished), and
// never more than the caller allows per call. Synchronous and single-threaded: call it when the
// directory changed, when polling, and at next_deadline().
class TailedFileReader {
 public:
  using Clock = std::chrono::steady_clock;
  enum class StartAt : std::uint8_t { kBeginning, kEnd };
  enum class Progress : std::uint8_t {
    kCaughtUp,  // read everything there is for now
    kMore,      // stopped at max_bytes: call again
    kGone,      // the path names no file and every file it named is finished: forget it
  };
  struct Limits {
    std::size_t max_bytes = 1024 * 1024;  // about this much of the files per call
    std::size_t max_open_files = 2;       // fds this reader may hold during and after the call
  };

  // `resume`: the saved position of each file of the path still being read (after a rename
  // rotation, the rotated file being finished and the new one; see the class comment). Each
  // is found again by identity and fingerprint, under the path or a rotated name; one that
  // cannot be is counted in resume_lost, and when none can, the current file is read from its
  // start. Without any, `start_at` says where to begin.
  TailedFileReader(FileSourcePtr source, TailedFileReaderOptions options,
                   StartAt start_at = StartAt::kBeginning, std::vector<FileResumePoint> resume = {},
                   FileInputMetrics* metrics = nullptr);
  ~TailedFileReader() = default;
  TailedFileReader(const TailedFileReader&) = delete;
  TailedFileReader& operator=(const TailedFileReader&) = delete;

  // Reads what is there now and appends one record per line to `out`.
  Progress read_available(std::vector<LogRecord>& out, Limits limits, Clock::time_point now);

  // When read_available must be called again even if nothing changes: the end of a rotated
  // file's rotate_wait, or of a held last line's unterminated_line_timeout.
  std::optional<Clock::time_point> next_deadline() const;

  std::size_t open_file_count() const;
  // True when the only fd held is the followed file's: it can be closed without losing
  // anything (release()), and reopened at the same position by the next read.
  bool can_release() const;
  void release();
  // For a reader holding no fd: whether the path may have something new (cheap: one stat).
  bool may_have_news() const;
  // Whether `file` is the file this reader follows or a rotated one it is still finishing.
  bool follows(FileIdentity file) const;
  // The files finished (read to their end, or lost) since the last call: once their last
  // records are submitted, their saved positions can be dropped.
  std::vector<FileIdentity> take_finished_files() { return std::exchange(finished_files_, {}); }

  const TailedFileCounters& counters() const { return counters_; }
  const std::string& path() const { return source_->path; }
  const FileSourcePtr& source() const { return source_; }

 private:
  // One file of the path: the one it names, or a rotated one still to finish.
  struct TrackedFile {
    UniqueFd fd;       // may be closed: reopened by identity when read next
    std::string name;  // where it was last seen; empty when unknown
    FileIdentity identity;
    std::uint64_t offset = 0;            // just after the last consumed line
    std::uint64_t fingerprint = 0;       // of its first line (file_fingerprint); 0: not known yet
    std::int64_t named_modified_ns = 0;  // its mtime when last seen named by the path
    std::uint64_t end_seen = 0;          // its size at the last read
    Clock::time_point last_growth{};
    // A file renamed away while followed: its writer may not have reopened the path yet, so it
    // stays open for rotate_wait. Copies and files found rotated are finished at once.
    bool wait_for_late_lines = false;
    // Found under a rotated name with the identity of a file finished before: an inode may be
    // reused, so it is read unless its fingerprint shows it is that same file.
    std::uint64_t finished_fingerprint = 0;
    // A line longer than max_line_bytes: its head is kept and the rest skipped up to '\n'.
    bool skipping_line = false;
    std::optional<std::string> cut_head;  // nullopt: skipping to a line start (start_at end)
    // A last line without '\n': where it ends and since when it has not grown.
    std::uint64_t partial_end = 0;
    // The offset follows such a line, delivered unterminated: not after a '\n'.
    bool offset_mid_line = false;
    Clock::time_point partial_since{};
  };

  enum class ReadEnd : std::uint8_t { kEndOfFile, kBudgetSpent, kRewritten, kError };
  enum class Step : std::uint8_t { kDone, kKeepOpen, kBudgetSpent, kCaughtUp, kChanged };

  // State of one read_available call.
  struct Pass {
    std::vector<LogRecord>& out;
    std::size_t budget;
    std::size_t max_fds;
    Clock::time_point now;
    TimestampNs read_time;
    std::vector<char> buffer;
  };

  bool start(Pass& pass);
  // False when no point could be found again.
  bool resume_at(const std::vector<FileResumePoint>& points, const std::optional<FileStatus>& named,
                 Clock::time_point now);
  bool resume_named(const FileResumePoint& point, const FileStatus& named, Clock::time_point now);
  // Finds the file of `point` under a rotated name and queues it, to be finished from there.
  std::optional<std::int64_t> resume_rotated(const FileResumePoint& point, Clock::time_point now);
  void resume_lost(const FileResumePoint& point);
  // Starts following the file the path names, from its start.
  void follow_named(const FileStatus& named, Clock::time_point now);
  Step finish_older(Pass& pass);
  Step follow_current(Pass& pass);
  void rotate_current(Pass& pass);
  void restart_truncated(Pass& pass);
  // Queues the newest rotated copy whose first line has `fingerprint` and that goes past
  // `offset`, to be read from there; false when there is none.
  bool queue_copy_of(std::uint64_t fingerprint, std::uint64_t offset, bool offset_mid_line,
                     FileIdentity original, Clock::time_point now);
  // Queues the rotated files written since `modified_ns` that this reader has not read.
  void queue_rotated_after(std::int64_t modified_ns, FileIdentity skip, Clock::time_point now);
  bool reopen(TrackedFile& file);
  bool finish_file(TrackedFile& file, Pass& pass);
  void remember_finished(const TrackedFile& file);
  void drop_oldest();
  // The fingerprint a recently finished file with that identity had (0: not known).
  std::optional<std::uint64_t> finished_fingerprint(FileIdentity file) const;

  ReadEnd read_file(TrackedFile& file, Pass& pass, bool file_finished);
  void emit(TrackedFile& file, std::string_view text, bool truncated, Pass& pass);
  bool unterminated_line_expired(TrackedFile& file, std::uint64_t end, Clock::time_point now);
  std::size_t fds_held() const;
  void count(std::uint64_t TailedFileCounters::*field, std::uint64_t n = 1);

  const FileSourcePtr source_;
  BatchOwner<const FileSource> source_for_records_{source_};  // a block per read_available()
  const TailedFileReaderOptions options_;
  const std::size_t max_line_bytes_;
  const RotatedFileFinder rotated_;
  FileInputMetrics* const metrics_;

  StartAt start_at_;
  std::vector<FileResumePoint> resume_;
  bool started_ = false;
  std::optional<TrackedFile> current_;  // the file the path names (or named, until checked)
  std::deque<TrackedFile> older_;       // rotated files to finish, oldest first
  struct FinishedFile {
    FileIdentity identity;
    std::uint64_t fingerprint = 0;
  };
  static constexpr std::size_t kFinishedKept = 16;
  std::array<FinishedFile, kFinishedKept> finished_{};  // recently finished files (a ring)
  std::size_t finished_next_ = 0;
  std::vector<FileIdentity> finished_files_;  // not taken yet

  TimestampRanks ranks_;
  TailedFileCounters counters_;
};

}  // namespace lc::file_input
