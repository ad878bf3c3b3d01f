#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace lc {

// The store's directory and its naming: <directory>/logs-<seq, 10 digits>.ndjson. Knows which
// files exist; holds no descriptors.
class StoreFileSet {
 public:
  explicit StoreFileSet(std::string directory);

  const std::string& directory() const { return directory_; }
  std::error_code create_directory() const;

  static std::string file_name(std::uint64_t seq);
  // The seq of a store file name, nullopt for any other name.
  static std::optional<std::uint64_t> parse_file_name(std::string_view name);
  std::string path_of(std::uint64_t seq) const;

  // Sequence numbers of the store files present, ascending.
  std::vector<std::uint64_t> list(std::error_code& ec) const;
  // 0 when the file is missing.
  std::uint64_t file_size(std::uint64_t seq) const;
  std::error_code remove(std::uint64_t seq) const;
  // Makes a created or removed name durable.
  std::error_code sync_directory() const;

 private:
  std::string directory_;
};

}  // namespace lc
