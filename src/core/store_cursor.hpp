#pragma once

#include <cstdint>

namespace lc {

// A place in the local file store: which file (by its sequence number) and the byte offset
// just after the last record written there. Saved with the checkpoints so that, at start-up,
// the store's records written after it prove what was delivered before a crash.
struct StoreCursor {
  std::uint64_t file_seq = 0;
  std::uint64_t offset = 0;
  bool operator==(const StoreCursor&) const = default;
};

}  // namespace lc
