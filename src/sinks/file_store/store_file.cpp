#include "sinks/file_store/store_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "core/last_error.hpp"

namespace lc {

StoreFile::~StoreFile() { close(); }

StoreFile::StoreFile(StoreFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

StoreFile& StoreFile::operator=(StoreFile&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

std::error_code StoreFile::open(const std::string& path) {
  close();
  const int fd = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return last_error();
  fd_ = fd;
  return {};
}

void StoreFile::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

std::error_code StoreFile::size(std::uint64_t& out) const {
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return last_error();
  out = static_cast<std::uint64_t>(st.st_size);
  return {};
}

std::error_code StoreFile::append(std::string_view data) {
  const char* next = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, next, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    if (n == 0) return std::make_error_code(std::errc::io_error);  // no progress: avoid a spin
    next += n;
    left -= static_cast<std::size_t>(n);
  }
  return {};
}

std::error_code StoreFile::truncate(std::uint64_t size) {
  while (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
    if (errno != EINTR) return last_error();
  }
  return {};
}

std::error_code StoreFile::sync(FileSync& file_sync) {
  if (auto ec = file_sync.sync(fd_)) return ec;
  // Written once, read rarely: once on disk, the pages leave the page cache, which stays for
  // the host's applications (and freeing our own clean pages costs less than the reclaim that
  // new pages would otherwise need). Advice only: a failure changes nothing.
  (void)::posix_fadvise(fd_, 0, 0, POSIX_FADV_DONTNEED);
  return {};
}

std::error_code StoreFile::truncate_torn_tail(std::uint64_t& removed) {
  removed = 0;
  std::uint64_t end = 0;
  if (auto ec = size(end)) return ec;
  // Walk back from the end in blocks until the last '\n'.
  char block[4096];
  std::uint64_t scan_end = end;
  while (scan_end > 0) {
    const std::uint64_t start = scan_end > sizeof(block) ? scan_end - sizeof(block) : 0;
    const auto want = static_cast<std::size_t>(scan_end - start);
    ssize_t n;
    do {
      n = ::pread(fd_, block, want, static_cast<off_t>(start));
    } while (n < 0 && errno == EINTR);
    if (n < 0) return last_error();
    if (static_cast<std::size_t>(n) != want) return std::make_error_code(std::errc::io_error);
    for (std::size_t i = want; i > 0; --i) {
      if (block[i - 1] == '\n') {
        const std::uint64_t keep = start + i;
        if (keep == end) return {};
        if (auto ec = truncate(keep)) return ec;
        removed = end - keep;
        return {};
      }
    }
    scan_end = start;
  }
  if (end == 0) return {};
  if (auto ec = truncate(0)) return ec;
  removed = end;
  return {};
}

}  // namespace lc
