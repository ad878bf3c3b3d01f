#include "buffer/disk_buffer/segment_directory.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "core/last_error.hpp"
#include "core/numbered_files.hpp"

namespace lc {
namespace {

constexpr NumberedFiles kSegmentFiles{"", 12, ".seg"};

}  // namespace

SegmentDirectory::SegmentDirectory(std::string path) : path_(std::move(path)) {}

std::error_code SegmentDirectory::create() const {
  std::error_code ec;
  std::filesystem::create_directories(path_, ec);
  return ec;
}

std::string SegmentDirectory::file_name(std::uint64_t seq) { return kSegmentFiles.name(seq); }

std::optional<std::uint64_t> SegmentDirectory::parse_file_name(std::string_view name) {
  return kSegmentFiles.parse(name);
}

std::string SegmentDirectory::path_of(std::uint64_t seq) const {
  return path_ + "/" + file_name(seq);
}

std::vector<std::uint64_t> SegmentDirectory::list(std::error_code& ec) const {
  return kSegmentFiles.list(path_, ec);
}

std::error_code SegmentDirectory::remove(std::uint64_t seq) const {
  if (::unlink(path_of(seq).c_str()) != 0 && errno != ENOENT) return last_error();
  return {};
}

std::error_code SegmentDirectory::set_aside(std::uint64_t seq, std::string& aside_path) const {
  aside_path = path_of(seq) + ".corrupt";
  if (::rename(path_of(seq).c_str(), aside_path.c_str()) != 0) return last_error();
  return {};
}

std::error_code SegmentDirectory::sync() const {
  const int fd = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return last_error();
  std::error_code ec;
  if (::fsync(fd) != 0) ec = last_error();
  ::close(fd);
  return ec;
}

}  // namespace lc
