#include "config/byte_size_text.hpp"

#include <array>
#include <charconv>
#include <limits>

namespace lc {
namespace {

struct SizeUnit {
  std::string_view suffix;
  std::uint64_t bytes;
};

constexpr std::uint64_t kKiB = 1024;
constexpr std::array<SizeUnit, 9> kSizeUnits{{
    {"TiB", kKiB* kKiB* kKiB* kKiB},
    {"GiB", kKiB* kKiB* kKiB},
    {"MiB", kKiB* kKiB},
    {"KiB", kKiB},
    {"TB", 1'000'000'000'000},
    {"GB", 1'000'000'000},
    {"MB", 1'000'000},
    {"KB", 1'000},
    {"B", 1},
}};

}  // namespace

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  std::uint64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc{}) return std::nullopt;
  std::string_view suffix = text.substr(static_cast<std::size_t>(end - text.data()));
  if (suffix.empty()) return number;
  if (suffix.front() == ' ') suffix.remove_prefix(1);
  for (const auto& unit : kSizeUnits) {
    if (suffix != unit.suffix) continue;
    if (number > std::numeric_limits<std::uint64_t>::max() / unit.bytes) return std::nullopt;
    return number * unit.bytes;
  }
  return std::nullopt;
}

std::string format_byte_size(std::uint64_t bytes) {
  if (bytes == 0) return "0";
  // Binary units first: the defaults are all powers of two.
  for (const auto& unit : kSizeUnits) {
    if (unit.bytes > 1 && bytes % unit.bytes == 0) {
      return std::to_string(bytes / unit.bytes) + std::string(unit.suffix);
    }
  }
  return std::to_string(bytes);
}

}  // namespace lc
