#pragma once

#include <map>
#include <string>

namespace lc::file_input {

// Which files input reads each path, so that two inputs whose globs overlap never read (and
// deliver) one file twice: the first to claim a path keeps it until it stops following it.
// Single-threaded: every files input runs on the same loop.
class FilePathClaims {
 public:
  // Whether `input` may follow `path`: nobody reads it, or `input` does already.
  bool claim(const std::string& path, const std::string& input) {
    const auto [owner, added] = owners_.try_emplace(path, input);
    return added || owner->second == input;
  }
  void release(const std::string& path, const std::string& input) {
    if (const auto owner = owners_.find(path); owner != owners_.end() && owner->second == input) {
      owners_.erase(owner);
    }
  }
  std::size_t size() const { return owners_.size(); }

 private:
  std::map<std::string, std::string> owners_;
};

}  // namespace lc::file_input
