#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/container_position.hpp"
#include "core/timestamp.hpp"

namespace lc {

// Hands out index_at_time: the 0-based rank of a record among this container's records with
// exactly the same timestamp. The last 8 distinct timestamps are tracked (dockerd stamps in
// order, only stdout and stderr interleave). The API decoder and the json-file reader share
// it, so a position taken in file mode is comparable with one taken through the Engine API.
class TimestampRanks {
 public:
  // Resuming after `delivered`: records stamped delivered.time continue at its count.
  void seed(ContainerPosition delivered);
  std::uint32_t next(TimestampNs time);

 private:
  struct Entry {
    TimestampNs time = 0;
    std::uint32_t count = 0;
  };
  static constexpr std::size_t kTracked = 8;
  std::array<Entry, kTracked> entries_{};
  std::size_t size_ = 0;
  std::size_t newest_ = 0;
};

}  // namespace lc
