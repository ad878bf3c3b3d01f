#include "buffer/disk_buffer/segment_directory.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "core/last_error.hpp"

namespace lc {
namespace {

constexpr std::string_view kSuffix = ".seg";
constexpr std::size_t kSeqDigits = 12;
constexpr std::size_t kMaxSeqDigits = 19;  // fits a uint64 whatever the digits

}  // namespace

SegmentDirectory::SegmentDirectory(std::string path) : path_(std::move(path)) {}

std::error_code SegmentDirectory::create() const {
  std::error_code ec;
  std::filesystem::create_directories(path_, ec);
  return ec;
}

std::string SegmentDirectory::file_name(std::uint64_t seq) {
  return fmt::format("{:0{}}{}", seq, kSeqDigits, kSuffix);
}

std::optional<std::uint64_t> SegmentDirectory::parse_file_name(std::string_view name) {
  if (!name.ends_with(kSuffix)) return std::nullopt;
  const std::string_view digits = name.substr(0, name.size() - kSuffix.size());
  if (digits.size() < kSeqDigits || digits.size() > kMaxSeqDigits) return std::nullopt;
  std::uint64_t seq = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    seq = seq * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return seq;
}

std::string SegmentDirectory::path_of(std::uint64_t seq) const {
  return path_ + "/" + file_name(seq);
}

std::vector<std::uint64_t> SegmentDirectory::list(std::error_code& ec) const {
  std::vector<std::uint64_t> seqs;
  ec.clear();
  std::filesystem::directory_iterator it(path_, ec);
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
  std::sort(seqs.begin(), seqs.end());
  return seqs;
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
