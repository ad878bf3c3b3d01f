#include "buffer/disk_buffer/atomic_file_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

#include "core/file_sync.hpp"
#include "core/last_error.hpp"

namespace lc {
namespace {

std::error_code write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    if (n == 0) return std::make_error_code(std::errc::io_error);
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

std::error_code write_temporary(const std::string& tmp, std::string_view contents, bool durable) {
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return last_error();
  std::error_code ec = write_all(fd, contents);
  if (!ec && durable) ec = system_file_sync().sync(fd);
  // close() reports delayed write errors on some file systems (NFS).
  if (::close(fd) != 0 && !ec) ec = last_error();
  return ec;
}

std::error_code sync_parent_directory(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  const std::string directory = parent.empty() ? std::string(".") : parent.string();
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return last_error();
  const std::error_code ec = system_file_sync().sync(fd);
  ::close(fd);
  return ec;
}

}  // namespace

std::error_code write_file_atomically(const std::string& path, std::string_view contents,
                                      bool durable) {
  const std::string tmp = path + ".tmp";
  if (auto ec = write_temporary(tmp, contents, durable)) {
    ::unlink(tmp.c_str());
    return ec;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::error_code ec = last_error();
    ::unlink(tmp.c_str());
    return ec;
  }
  return durable ? sync_parent_directory(path) : std::error_code{};
}

}  // namespace lc
