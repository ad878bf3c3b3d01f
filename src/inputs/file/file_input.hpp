#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/file_position.hpp"
#include "core/log_record.hpp"
#include "core/task_count.hpp"
#include "inputs/file/tailed_file_reader.hpp"
#include "processors/multiline/multiline_joiner.hpp"

namespace lc::json_file {
class FileChangeWatcher;
}

namespace lc::file_input {

struct FileInputMetrics;

struct FileInputOptions {
  std::string name = "files";        // the input's name, carried by its records (FileSource::input)
  std::vector<std::string> include;  // glob(3) patterns with braces (see FileDiscovery)
  std::vector<std::string> exclude;  // fnmatch(3) patterns on the full path
  // Every followed file is looked at this often even without a change event (a safety net
  // for file systems whose events do not arrive).
  std::chrono::milliseconds poll_interval{1000};
  // The include patterns are evaluated again this often; new files are also found at once
  // when their directory's change event arrives.
  std::chrono::milliseconds rescan_interval{10000};
  // fds held by this input at most (>= 1). With more files, files take turns: an idle file is
  // closed (and reopened at its position) to let another one read.
  std::size_t max_open_files = 1024;
  // Where to start in a file without a saved position that is there at start-up. Files that
  // appear later are always read from their start (nothing written to them is lost).
  TailedFileReader::StartAt start_at = TailedFileReader::StartAt::kBeginning;
  TailedFileReaderOptions reader;  // max_line_bytes, read_chunk_bytes, rotation handling
  // How a file's lines are joined into records (stack traces), asked once per file with a
  // record carrying its FileSource; absent or nullopt: a record per line.
  using MultilineChoice =
      std::function<std::optional<multiline::StreamJoining>(const LogRecord& probe)>;
  MultilineChoice multiline;
  std::map<std::string, std::string> labels;  // static labels put on every record
  // How much one file may read before the next ready file gets its turn.
  std::size_t max_bytes_per_turn = 1024 * 1024;
};

// What the file input needs from the rest of the agent.
struct FileInputHooks {
  // Takes one file's records (every call carries records of a single path). The input reads
  // nothing more until the awaitable completes: this is where backpressure stops it.
  std::function<boost::asio::awaitable<void>(std::vector<LogRecord>)> submit;
  // Waits until the agent has room to read more (optional): lines wait in their file meanwhile.
  std::function<boost::asio::awaitable<void>()> wait_for_read_room;
  // The saved positions of a path: one per file still being read (optional). Records carry
  // the file they were read from (file_position), and a position is kept per file.
  std::function<std::vector<FileResumePoint>(const std::string& path)> resume_points;
  // A file of a path (a rotated one) is read to its end, or its saved position was found to
  // be lost, after its last records were submitted: its saved position can be retired
  // (optional).
  std::function<void(const std::string& path, FileIdentity file)> on_file_finished;
  // A path is gone (its files were removed and read to their end), after its last records
  // were submitted: the saved positions of its files can be retired (optional).
  std::function<void(const std::string& path)> on_file_gone;
  // Asked before a path is followed: false when another input reads it (optional). A refused
  // path is asked again at each rescan, and released when this input stops following it.
  std::function<bool(const std::string& path)> claim_path;
  std::function<void(const std::string& path)> release_path;
};

// The generic file input: follows every file the include patterns match (see FileDiscovery),
// one TailedFileReader per path, and hands their lines (joined into multi-line records when
// configured) to `submit`. New files are found through the FileChangeWatcher (one inotify fd
// shared with the json-file input), a periodic rescan, and polling.
//
// One coroutine on the given executor serves every file in turns, so the thread count never
// depends on the number of files; at most max_open_files fds are held. Single-threaded: create,
// start, stop and destroy it on the executor's thread. The watcher must outlive it.
class FileInput {
 public:
  // Throws std::invalid_argument for a missing submit hook, max_open_files 0 or a bad
  // multiline pattern.
  FileInput(boost::asio::any_io_executor executor, json_file::FileChangeWatcher& watcher,
            FileInputOptions options, FileInputHooks hooks, FileInputMetrics* metrics = nullptr);
  ~FileInput();
  FileInput(const FileInput&) = delete;
  FileInput& operator=(const FileInput&) = delete;

  void start();
  // Stops reading and closes every file (at once, or as soon as a pending submit returns).
  // Records still being joined are not delivered: their lines are read again after a restart.
  void stop();

  std::size_t files_followed() const;
  std::size_t open_files() const;
  // Stopped, and its task has ended (Input::finished()).
  bool finished() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
  TaskCount tasks_;
};

}  // namespace lc::file_input
