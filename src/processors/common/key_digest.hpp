#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace lc {

// 128 bits of a keyed hash (SHA-256 of a per-process random key and the text): what throttle,
// sample and dedup remember a key or a record by. Fixed size whatever the text (a 1 MiB key
// costs 16 bytes), and no one who writes log lines can make two texts collide on purpose, as
// they could with an unkeyed hash.
struct KeyDigest {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  bool operator==(const KeyDigest&) const = default;
};

KeyDigest digest_key(std::string_view text);

struct KeyDigestHash {
  std::size_t operator()(const KeyDigest& digest) const {
    return static_cast<std::size_t>(digest.low);
  }
};

}  // namespace lc
