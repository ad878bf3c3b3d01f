#include "sinks/file_store/store_file_set.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>

namespace lc {
namespace {

constexpr std::string_view kPrefix = "logs-";
constexpr std::string_view kSuffix = ".ndjson";
constexpr std::size_t kSeqDigits = 10;

}  // namespace

StoreFileSet::StoreFileSet(std::string directory) : directory_(std::move(directory)) {}

std::error_code StoreFileSet::create_directory() const {
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  return ec;
}

std::string StoreFileSet::file_name(std::uint64_t seq) {
  return fmt::format("{}{:0{}}{}", kPrefix, seq, kSeqDigits, kSuffix);
}

std::optional<std::uint64_t> StoreFileSet::parse_file_name(std::string_view name) {
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return std::nullopt;
  const std::string_view digits =
      name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  // Ten digits, or more once seq outgrows them (20 fit a uint64).
  if (digits.size() < kSeqDigits || digits.size() > 19) return std::nullopt;
  std::uint64_t seq = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    seq = seq * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return seq;
}

std::string StoreFileSet::path_of(std::uint64_t seq) const {
  return directory_ + "/" + file_name(seq);
}

std::vector<std::uint64_t> StoreFileSet::list(std::error_code& ec) const {
  std::vector<std::uint64_t> seqs;
  ec.clear();
  std::filesystem::directory_iterator it(directory_, ec);
  if (ec) return seqs;
  const std::filesystem::directory_iterator end;
  while (it != end) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec)) {
      if (auto seq = parse_file_name(it->path().filename().native())) seqs.push_back(*seq);
    }
    it.increment(ec);
    if (ec) return seqs;
  }
  ec.clear();
  std::sort(seqs.begin(), seqs.end());
  return seqs;
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
