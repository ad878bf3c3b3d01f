#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/file_position.hpp"
#include "core/log_record.hpp"
#include "support/temp_directory.hpp"

namespace lc::file_input::testing {

using lc::testing::TempDirectory;

// A writer that keeps its file open, like an application: it goes on writing to the same
// inode after the file is renamed.
class FileWriter {
 public:
  explicit FileWriter(const std::string& path)
      : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) {
    if (fd_ < 0) throw std::runtime_error("cannot open " + path);
  }
  ~FileWriter() { ::close(fd_); }
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  void write(std::string_view bytes) {
    if (::write(fd_, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
      throw std::runtime_error("short write");
    }
  }

 private:
  int fd_;
};

inline void append(const std::string& path, std::string_view bytes) {
  FileWriter(path).write(bytes);
}

inline void truncate_to_zero(const std::string& path) { std::filesystem::resize_file(path, 0); }

// logrotate's numbered rotation by rename: path.N-1 -> path.N ... path -> path.1, then a new
// empty path.
inline void rotate_numbered(const std::string& path, int keep = 5) {
  std::filesystem::remove(path + "." + std::to_string(keep));
  for (int i = keep; i > 1; --i) {
    const std::string from = path + "." + std::to_string(i - 1);
    if (std::filesystem::exists(from)) {
      std::filesystem::rename(from, path + "." + std::to_string(i));
    }
  }
  std::filesystem::rename(path, path + ".1");
  append(path, "");
}

inline FileIdentity identity_of_path(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) throw std::runtime_error("cannot stat " + path);
  return {static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino)};
}

inline std::size_t open_fd_count() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++count;
  }
  return count - 1;  // the iterator's own fd
}

inline std::vector<std::string> messages(const std::vector<LogRecord>& records) {
  std::vector<std::string> out;
  for (const LogRecord& record : records) out.push_back(record.message);
  return out;
}

inline std::string numbered(int i) { return "line " + std::to_string(i); }

// "line first\n" ... "line last-1\n"
inline std::string numbered_lines(int first, int last) {
  std::string out;
  for (int i = first; i < last; ++i) out += numbered(i) + "\n";
  return out;
}

inline std::vector<std::string> numbered_messages(int first, int last) {
  std::vector<std::string> out;
  for (int i = first; i < last; ++i) out.push_back(numbered(i));
  return out;
}

}  // namespace lc::file_input::testing
