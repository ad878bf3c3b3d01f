#include "sinks/file_store/store_file_set.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

#include "core/numbered_files.hpp"

namespace lc {
namespace {

constexpr NumberedFiles kStoreFiles{"logs-", 10, ".ndjson"};

}  // namespace

StoreFileSet::StoreFileSet(std::string directory) : directory_(std::move(directory)) {}

std::error_code StoreFileSet::create_directory() const {
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  return ec;
}

std::string StoreFileSet::file_name(std::uint64_t seq) { return kStoreFiles.name(seq); }

std::optional<std::uint64_t> StoreFileSet::parse_file_name(std::string_view name) {
  return kStoreFiles.parse(name);
}

std::string StoreFileSet::path_of(std::uint64_t seq) const {
  return directory_ + "/" + file_name(seq);
}

std::vector<std::uint64_t> StoreFileSet::list(std::error_code& ec) const {
  return kStoreFiles.list(directory_, ec);
}

std::uint64_t StoreFileSet::file_size(std::uint64_t seq) const {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path_of(seq), ec);
  return ec ? 0 : static_cast<std::uint64_t>(size);
}

std::error_code StoreFileSet::remove(std::uint64_t seq) const {
  if (::unlink(path_of(seq).c_str()) != 0 && errno != ENOENT) {
    return {errno, std::generic_category()};
  }
  return {};
}

std::error_code StoreFileSet::sync_directory() const {
  const int fd = ::open(directory_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return {errno, std::generic_category()};
  std::error_code ec;
  if (::fsync(fd) != 0) ec = {errno, std::generic_category()};
  ::close(fd);
  return ec;
}

}  // namespace lc
