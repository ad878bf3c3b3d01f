#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace lc {

// A directory of segment files named <seq>.seg (seq zero-padded to 12 digits, so that `ls`
// lists them in order). Knows which segments exist; holds no descriptors. Other names in the
// directory are left alone.
class SegmentDirectory {
 public:
  explicit SegmentDirectory(std::string path);

  const std::string& path() const { return path_; }
  std::error_code create() const;

  static std::string file_name(std::uint64_t seq);
  // The seq of a segment file name, nullopt for any other name.
  static std::optional<std::uint64_t> parse_file_name(std::string_view name);
  std::string path_of(std::uint64_t seq) const;

  // Sequence numbers of the segments present, ascending.
  std::vector<std::uint64_t> list(std::error_code& ec) const;
  std::error_code remove(std::uint64_t seq) const;
  // Renames an unreadable segment to <name>.corrupt, out of the way but kept for inspection.
  std::error_code set_aside(std::uint64_t seq, std::string& aside_path) const;
  // Makes created and removed names durable.
  std::error_code sync() const;

 private:
  std::string path_;
};

}  // namespace lc
