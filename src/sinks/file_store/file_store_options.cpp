#include "sinks/file_store/file_store_options.hpp"

#include <array>
#include <filesystem>

#include "config/yaml_section.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<FileStoreOptions::Fsync>, 3> kFsyncChoices{{
    {"every_batch", FileStoreOptions::Fsync::kEveryBatch},
    {"interval", FileStoreOptions::Fsync::kInterval},
    {"never", FileStoreOptions::Fsync::kNever},
}};

}  // namespace

void read_file_store_options(YamlSection& section, FileStoreOptions& store) {
  section.read_string({"directory", "Where the files go. Empty: `<data_dir>/store`."},
                      store.directory);
  section.read_byte_size({"max_file_bytes", "A file is closed and a new one started at this size."},
                         store.max_file_bytes);
  section.read_count({"max_files", "Retention: the oldest files beyond this count are deleted."},
                     store.max_files);
  section.read_enum<FileStoreOptions::Fsync>(
      {"fsync",
       "Durability: `every_batch` (fsync before acknowledging each batch: safest, slowest), "
       "`interval` (every `fsync_interval`), `never` (leave it to the kernel)."},
      store.fsync, kFsyncChoices);
  section.read_duration({"fsync_interval", "Period of the fsync when `fsync: interval`."},
                        store.fsync_interval);
}

std::string file_store_directory(const FileStoreOptions& options, const std::string& data_dir) {
  return options.directory.empty() ? (std::filesystem::path(data_dir) / "store").string()
                                   : options.directory;
}

}  // namespace lc
