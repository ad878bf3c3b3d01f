#include "config/file_fingerprint.hpp"

#include <sys/stat.h>

#include <fstream>
#include <functional>
#include <string>

namespace lc {

namespace {

constexpr std::size_t kMaxBytesRead = 1024 * 1024;

// The file's first MiB, or a marker that cannot be a certificate's content.
std::string contents_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return "\0missing";
  if (!S_ISREG(info.st_mode)) return "\0not a regular file";  // a FIFO or /dev/zero: never read
  std::ifstream file(path, std::ios::binary);
  if (!file) return "\0unreadable";
  std::string bytes(std::min<std::size_t>(static_cast<std::size_t>(info.st_size), kMaxBytesRead),
                    '\0');
  file.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(file.gcount()));
  return bytes;
}

}  // namespace

std::uint64_t fingerprint_files(std::initializer_list<std::string_view> paths) {
  std::uint64_t fingerprint = 0;
  for (const std::string_view path : paths) {
    if (path.empty()) continue;
    const std::string text = std::string(path) + '\0' + contents_of(std::string(path));
    // Combined in order (boost::hash_combine's constant): a file moved between keys differs.
    fingerprint ^= std::hash<std::string>{}(text) + 0x9e3779b97f4a7c15ULL + (fingerprint << 6) +
                   (fingerprint >> 2);
  }
  return fingerprint;
}

}  // namespace lc
