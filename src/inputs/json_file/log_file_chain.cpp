#include "inputs/json_file/log_file_chain.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <string_view>

#include "inputs/json_file/gzip_log_file.hpp"
#include "inputs/json_file/positioned_read.hpp"

namespace lc::json_file {

namespace {

FileIdentity identity_from(const struct stat& info) {
  return FileIdentity{static_cast<std::uint64_t>(info.st_dev),
                      static_cast<std::uint64_t>(info.st_ino)};
}

std::function<void()>& after_listing_for_tests() {
  static std::function<void()> hook;
  return hook;
}

std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

}  // namespace

std::optional<FileIdentity> identity_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  return identity_from(info);
}

std::vector<ChainFile> list_log_chain(const std::string& path, std::size_t max_rotated_files) {
  std::vector<ChainFile> newest_first;
  if (auto identity = identity_of(path)) newest_first.push_back({path, *identity});
  std::size_t missing_in_a_row = 0;
  for (std::size_t n = 1; n <= max_rotated_files && missing_in_a_row < 2; ++n) {
    std::string name = path + "." + std::to_string(n);
    if (auto identity = identity_of(name)) {
      newest_first.push_back({std::move(name), *identity});
      missing_in_a_row = 0;
    } else if (auto gz_identity = identity_of(name + ".gz")) {
      newest_first.push_back({name + ".gz", *gz_identity, /*compressed=*/true});
      missing_in_a_row = 0;
    } else {
      ++missing_in_a_row;
    }
  }
  std::reverse(newest_first.begin(), newest_first.end());
  if (after_listing_for_tests()) after_listing_for_tests()();
  return newest_first;
}

void set_after_listing_for_tests(std::function<void()> hook) {
  after_listing_for_tests() = std::move(hook);
}

std::optional<std::size_t> find_in_chain(const std::vector<ChainFile>& chain, FileIdentity file) {
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (chain[i].identity == file) return i;
  }
  return std::nullopt;
}

std::optional<std::size_t> find_compressed_copy(const std::vector<ChainFile>& chain,
                                                std::uint64_t fingerprint) {
  if (fingerprint == 0) return std::nullopt;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (chain[i].compressed && fingerprint_at(chain[i]) == fingerprint) return i;
  }
  return std::nullopt;
}

UniqueFd open_checked(const ChainFile& file) {
  int fd;
  do {
    fd = ::open(file.name.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  } while (fd < 0 && errno == EINTR);
  UniqueFd owned(fd);
  if (!owned.valid()) return owned;
  const auto status = status_of(owned.get());
  if (!status || !(status->identity == file.identity)) owned.reset();
  return owned;
}

std::optional<OpenFileStatus> status_of(int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) return std::nullopt;
  return OpenFileStatus{identity_from(info), static_cast<std::uint64_t>(info.st_size),
                        info.st_nlink > 0};
}

std::uint64_t fingerprint_at(const ChainFile& file) {
  const UniqueFd fd = open_checked(file);
  return fd.valid() ? file_fingerprint(fd.get(), file.compressed) : 0;
}

void RotationSuccessors::note_live(std::optional<FileIdentity> live, FileIdentity reading,
                                   const std::string& path) {
  if (!live || *live == reading) return;
  if (!seen_.empty() && seen_.back().identity == *live) {
    if (seen_.back().fingerprint == 0) seen_.back().fingerprint = fingerprint_at({path, *live});
    return;
  }
  if (seen_.size() == kMaxRemembered) seen_.erase(seen_.begin());
  seen_.push_back({*live, fingerprint_at({path, *live})});
}

std::optional<std::size_t> RotationSuccessors::index_in(const std::vector<ChainFile>& chain,
                                                        const Seen& file) {
  const auto at = find_in_chain(chain, file.identity);
  if (at && (file.fingerprint == 0 || fingerprint_at(chain[*at]) == file.fingerprint)) return at;
  return find_compressed_copy(chain, file.fingerprint);  // compressed since: not gone
}

std::size_t RotationSuccessors::forget_gone(const std::vector<ChainFile>& chain) {
  const std::size_t before = seen_.size();
  std::erase_if(seen_, [&](const Seen& file) { return !index_in(chain, file); });
  return before - seen_.size();
}

std::optional<std::size_t> RotationSuccessors::first_present(
    const std::vector<ChainFile>& chain) const {
  for (const Seen& file : seen_) {
    if (const auto at = index_in(chain, file)) return at;
  }
  return std::nullopt;
}

void RotationSuccessors::moved_to(const ChainFile& file) {
  const std::uint64_t fingerprint = file.compressed ? fingerprint_at(file) : 0;
  const auto at = std::find_if(seen_.begin(), seen_.end(), [&](const Seen& seen) {
    return file.compressed ? fingerprint != 0 && seen.fingerprint == fingerprint
                           : seen.identity == file.identity;
  });
  if (at != seen_.end()) seen_.erase(seen_.begin(), at + 1);
}

std::uint64_t file_fingerprint(int fd, bool compressed) {
  std::array<char, kFingerprintBytes> head;
  ssize_t n;
  if (compressed) {
    n = GzipLogFile(fd).read_at(head.data(), head.size(), 0);
  } else {
    n = read_at(fd, head.data(), head.size(), 0);
  }
  if (n <= 0) return 0;
  std::string_view bytes(head.data(), static_cast<std::size_t>(n));
  if (const auto newline = bytes.find('\n'); newline != std::string_view::npos) {
    bytes = bytes.substr(0, newline + 1);
  } else if (bytes.size() < kFingerprintBytes) {
    return 0;
  }
  return std::max<std::uint64_t>(fnv1a(bytes), 1);
}

}  // namespace lc::json_file
