#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lc {

// "64MiB", "512KiB", "1GiB", "2TiB" (powers of 1024), "10MB", "10KB", "1GB", "1TB" (powers of
// 1000), "100B" or a bare "100" (bytes); one optional space before the unit. Returns nullopt
// for anything else, including negative values and overflow.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

// The shortest exact form parse_byte_size accepts back: "64MiB", "1500B" -> "1500", "10MB".
std::string format_byte_size(std::uint64_t bytes);

}  // namespace lc
