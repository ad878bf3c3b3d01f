#pragma once

#include <string>
#include <vector>

namespace lc {

// Which records a processor or a route applies to (YAML: a mapping of these keys). A record
// matches when every key that is set matches; a list matches when any of its items does.
// Nothing set: every record.
struct RecordSelectorConfig {
  // Input types ("docker", "files"; "file" is the same as "files") or input names.
  std::vector<std::string> sources;
  std::vector<std::string> streams;          // "stdout", "stderr"
  std::vector<std::string> container_names;  // globs (fnmatch) on the container name
  std::vector<std::string> images;           // globs on the container's image
  std::vector<std::string> labels;           // "key" or "key=value": container or file labels
  std::vector<std::string> files;            // globs on a tailed file's path
  std::string message;                       // regex (Perl syntax) found in the message

  bool operator==(const RecordSelectorConfig&) const = default;

  bool empty() const {
    return sources.empty() && streams.empty() && container_names.empty() && images.empty() &&
           labels.empty() && files.empty() && message.empty();
  }
};

}  // namespace lc
