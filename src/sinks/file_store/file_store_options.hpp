#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "config/sink_spec.hpp"

namespace lc {

class YamlSection;

// The local file store's own keys (YAML: sinks.file_store, or sinks.<name> with
// type: file_store; docs/file-store.md). At most one per agent: its cursor is part of the
// checkpoint.
struct FileStoreOptions : OptionsOf<FileStoreOptions> {
  std::string directory;  // empty: <data_dir>/store
  std::uint64_t max_file_bytes = 128ull * 1024 * 1024;
  std::uint32_t max_files = 8;  // retention: oldest deleted beyond this
  enum class Fsync { kEveryBatch, kInterval, kNever };
  Fsync fsync = Fsync::kInterval;
  std::chrono::milliseconds fsync_interval{1'000};

  bool operator==(const FileStoreOptions&) const = default;
};

void read_file_store_options(YamlSection& section, FileStoreOptions& options);

// Where the store writes: `directory`, else <data_dir>/store.
std::string file_store_directory(const FileStoreOptions& options, const std::string& data_dir);

}  // namespace lc
