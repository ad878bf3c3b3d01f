// libFuzzer target for GzipLogFile (rotated json-file logs compressed by dockerd). Input:
// [chunk selector][bytes of a .gz, possibly damaged or cut]. Checks, beyond "no crash": a
// read never returns more than asked, and reading the way the json-file reader does (chunks,
// each from a little before the previous one's end, with a guard byte) gives exactly the
// bytes a single read from the start gives, up to where either stops.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "inputs/json_file/gzip_log_file.hpp"

namespace {

using lc::json_file::GzipLogFile;

constexpr std::size_t kLimit = 1 << 20;  // both reads stop here (a small .gz can inflate far)

int file_with(const std::uint8_t* data, std::size_t size) {
  const int fd = ::memfd_create("gz", MFD_CLOEXEC);
  if (fd < 0) std::abort();
  if (size > 0 && ::write(fd, data, size) != static_cast<ssize_t>(size)) std::abort();
  return fd;
}

// Everything from offset 0 in reads of `chunk` bytes, each from `back` bytes before the last
// one's end (the reader's re-read of a partial line, and its guard byte).
std::string read_like_the_reader(GzipLogFile& file, std::size_t chunk, std::size_t back) {
  std::string out;
  std::string buffer(chunk, '\0');
  while (out.size() < kLimit) {
    const std::uint64_t from = out.size() > back ? out.size() - back : 0;
    const ssize_t n = file.read_at(buffer.data(), chunk, from);
    if (n < 0) break;
    if (static_cast<std::size_t>(n) > chunk) std::abort();
    const std::size_t skip = out.size() - from;
    if (static_cast<std::size_t>(n) <= skip) break;
    if (out.compare(from, skip, buffer, 0, skip) != 0) std::abort();  // the window moved
    out.append(buffer, skip, static_cast<std::size_t>(n) - skip);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t chunk = 64 + data[0] * 37 % 8192;
  const std::size_t back = data[0] % 5 == 0 ? 0 : (data[0] % 7) + 1;
  const int fd = file_with(data + 1, size - 1);
  {
    GzipLogFile whole(fd);
    std::string all(kLimit, '\0');
    ssize_t n = whole.read_at(all.data(), all.size(), 0);
    if (n > static_cast<ssize_t>(all.size())) std::abort();
    all.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    GzipLogFile pieces(fd);
    const std::string read = read_like_the_reader(pieces, chunk, back);
    // Both stop at the same damage, or at the limit.
    const std::size_t common = read.size() < all.size() ? read.size() : all.size();
    if (read.compare(0, common, all, 0, common) != 0) std::abort();
    if (all.size() < kLimit && read.size() < kLimit && read.size() != all.size()) std::abort();
  }
  ::close(fd);
  return 0;
}
