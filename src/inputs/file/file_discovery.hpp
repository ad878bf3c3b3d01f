#pragma once

#include <string>
#include <vector>

namespace lc::file_input {

// Which files the file input follows: the regular files (symlinks followed) that an include
// pattern matches (glob(3) with GLOB_BRACE: *, ?, [...], {a,b}; no **) and no exclude pattern
// matches (fnmatch(3) on the full path, without FNM_PATHNAME: * also matches '/'). Also says
// which directories to watch so that new matching files are seen as soon as they appear.
class FileDiscovery {
 public:
  // A directory where matching files may appear, and the literal start of their names (to
  // ignore events for the others).
  struct WatchTarget {
    std::string directory;
    std::string name_prefix;
    bool operator<(const WatchTarget& other) const;
    bool operator==(const WatchTarget&) const = default;
  };

  FileDiscovery(std::vector<std::string> include, std::vector<std::string> exclude);

  // Sorted, without duplicates.
  std::vector<std::string> matching_paths() const;
  std::vector<WatchTarget> watch_targets() const;
  bool excluded(const std::string& path) const;

 private:
  std::vector<std::string> include_;
  std::vector<std::string> exclude_;
};

}  // namespace lc::file_input
