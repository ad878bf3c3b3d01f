#pragma once

#include <string>

namespace lc {

// An exclusive flock on <data_dir>/lock for the agent's lifetime: two agents sharing a data
// directory would corrupt each other's checkpoints and store. Released in the destructor
// (and by the kernel if the process dies).
class DataDirLock {
 public:
  // Throws std::runtime_error naming the directory when another process holds the lock.
  explicit DataDirLock(const std::string& data_dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace lc
