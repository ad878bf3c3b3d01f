#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace lc {

// A family of files in one directory named <prefix><sequence number><suffix>, the number
// zero-padded to `digits` (more digits once it outgrows them, up to 19: a uint64 always fits):
// the file store's logs-0000000001.ndjson, a disk buffer's 000000000001.seg.
struct NumberedFiles {
  std::string_view prefix;
  std::size_t digits = 10;
  std::string_view suffix;

  std::string name(std::uint64_t seq) const;
  // The number in a file name of this family; nullopt for any other name.
  std::optional<std::uint64_t> parse(std::string_view file_name) const;
  // The numbers of the regular files of this family in `directory`, in increasing order.
  std::vector<std::uint64_t> list(const std::string& directory, std::error_code& ec) const;
};

}  // namespace lc
