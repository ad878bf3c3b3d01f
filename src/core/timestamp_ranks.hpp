#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "core/container_position.hpp"
#include "core/timestamp.hpp"

namespace lc {

// Hands out index_at_time: the 0-based rank of a record among one stream's records with
// exactly the same timestamp. The last 8 distinct timestamps are tracked (dockerd stamps each
// stream in order). The API decoder and the json-file reader share it, so a position taken in
// file mode is comparable with one taken through the Engine API.
class TimestampRanks {
 public:
  // Resuming after `delivered`: records stamped delivered.time continue at its count.
  void seed(StreamPosition delivered);
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

// A container's ranks: one TimestampRanks per stream.
class StreamRanks {
 public:
  void seed(const ContainerPosition& delivered) {
    out_.seed(delivered.out);
    err_.seed(delivered.err);
  }
  std::uint32_t next(LogStream stream, TimestampNs time) {
    return (stream == LogStream::kStderr ? err_ : out_).next(time);
  }

 private:
  TimestampRanks out_;
  TimestampRanks err_;
};

}  // namespace lc
