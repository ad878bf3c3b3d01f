#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config/component_options.hpp"

namespace lc {

class YamlSection;

using Duration = std::chrono::milliseconds;  // as in config/agent_config.hpp

// inputs.<name>: {type: files} (inputs.files for short): plain-text log files matched by
// globs. An agent may have several; no file is read by two of them.
struct FileInputConfig : OptionsOf<FileInputConfig> {
  std::vector<std::string> include;  // glob(3) patterns, braces allowed: /var/log/{app,db}/*.log
  std::vector<std::string> exclude;  // fnmatch(3) on the full path: "*.gz"
  enum class StartAt { kBeginning, kEnd };
  StartAt start_at = StartAt::kBeginning;  // files without a checkpoint found at start-up
  std::uint32_t max_line_bytes = 1024 * 1024;
  std::uint32_t max_open_files = 1024;
  Duration poll_interval{1'000};     // every file is looked at this often even without events
  Duration rescan_interval{10'000};  // the globs are evaluated again this often
  Duration rotate_wait{5'000};       // a renamed file is read until quiet this long
  std::vector<std::string> labels;   // "key=value", put on every record
  // Multi-line records: a line matching start_pattern (negate: not matching) starts a record;
  // the others continue it. Empty start_pattern: one record per line.
  std::string multiline_start_pattern;
  bool multiline_negate = false;
  std::uint32_t multiline_max_lines = 500;
  Duration multiline_flush_timeout{1'000};

  bool operator==(const FileInputConfig&) const = default;
};

// The files input's own keys (enabled and type are the loader's).
void read_file_input_config(YamlSection& section, FileInputConfig& files);

}  // namespace lc
