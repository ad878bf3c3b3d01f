#pragma once

#include <string>
#include <utility>
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
  std::string message;                       // regex (RE2) found in the message
  // Field path below .fields (`level`, `http.status`) -> values, one of which its value must
  // be (compared as text: 500 matches "500"). Every listed field must match.
  std::vector<std::pair<std::string, std::vector<std::string>>> fields;

  bool operator==(const RecordSelectorConfig&) const = default;

  bool empty() const {
    return sources.empty() && streams.empty() && container_names.empty() && images.empty() &&
           labels.empty() && files.empty() && message.empty() && fields.empty();
  }
};

}  // namespace lc
