#include "inputs/file/file_access.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace lc::file_input {

namespace {

FileStatus status_from(const struct stat& info) {
  return FileStatus{
      FileIdentity{static_cast<std::uint64_t>(info.st_dev),
                   static_cast<std::uint64_t>(info.st_ino)},
      static_cast<std::uint64_t>(info.st_size), info.st_nlink > 0,
      static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec};
}

}  // namespace

std::optional<FileStatus> status_of_fd(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) return std::nullopt;
  return status_from(info);
}

std::optional<FileStatus> status_of_path(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  return status_from(info);
}

UniqueFd open_for_reading(const std::string& path) {
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  } while (fd < 0 && errno == EINTR);
  return UniqueFd(fd);
}

UniqueFd open_if_identity(const std::string& path, FileIdentity expected) {
  UniqueFd fd = open_for_reading(path);
  if (!fd.valid()) return fd;
  const auto status = status_of_fd(fd.get());
  if (!status || !(status->identity == expected)) fd.reset();
  return fd;
}

}  // namespace lc::file_input
