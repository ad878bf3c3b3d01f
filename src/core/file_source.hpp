#pragma once

#include <map>
#include <memory>
#include <string>

namespace lc {

// Where a record read from a plain log file (not a container's log) came from: the file's
// path as configured or matched, the static labels configured for it and the name of the input
// that reads it. Shared by all the records of that path.
struct FileSource {
  std::string path;
  std::map<std::string, std::string> labels;
  // For selectors (sources: [<input name>]); not kept by disk buffers, which hold records
  // already routed.
  std::string input;
};

using FileSourcePtr = std::shared_ptr<const FileSource>;

}  // namespace lc
