#include "core/numbered_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace lc {

namespace {
constexpr std::size_t kMaxDigits = 19;  // fits a uint64 whatever the digits
}

std::string NumberedFiles::name(std::uint64_t seq) const {
  return fmt::format("{}{:0{}}{}", prefix, seq, digits, suffix);
}

std::optional<std::uint64_t> NumberedFiles::parse(std::string_view file_name) const {
  if (!file_name.starts_with(prefix) || !file_name.ends_with(suffix)) return std::nullopt;
  if (file_name.size() < prefix.size() + suffix.size()) return std::nullopt;
  const std::string_view number =
      file_name.substr(prefix.size(), file_name.size() - prefix.size() - suffix.size());
  if (number.size() < digits || number.size() > kMaxDigits) return std::nullopt;
  std::uint64_t seq = 0;
  for (const char c : number) {
    if (c < '0' || c > '9') return std::nullopt;
    seq = seq * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return seq;
}

std::vector<std::uint64_t> NumberedFiles::list(const std::string& directory,
                                               std::error_code& ec) const {
  std::vector<std::uint64_t> seqs;
  ec.clear();
  std::filesystem::directory_iterator it(directory, ec);
  if (ec) return seqs;
  const std::filesystem::directory_iterator end;
  while (it != end) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec)) {
      if (auto seq = parse(it->path().filename().native())) seqs.push_back(*seq);
    }
    it.increment(ec);
    if (ec) return seqs;
  }
  ec.clear();
  std::sort(seqs.begin(), seqs.end());
  return seqs;
}

}  // namespace lc
