#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/container_position.hpp"
#include "core/timestamp.hpp"

namespace lc::docker_input {

// The hash of one of dockerd's 16 KiB pieces, fed in any number of parts (a TTY body splits a
// piece wherever a read ends): FNV-1a, byte by byte. Only lines over 16 KiB are hashed.
class PieceHash {
 public:
  void add(std::string_view bytes) {
    for (const char c : bytes) {
      hash_ ^= static_cast<unsigned char>(c);
      hash_ *= 1099511628211ULL;
    }
  }
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 14695981039346656037ULL;
};

// dockerd's re-sent block at a rotation (see ReplayedLineFilter) can begin inside a line over
// 16 KiB: the line's last pieces come again, with the line's timestamp (every piece of a line
// carries the same one), and would be joined into a record of their own. A line whose pieces
// are the last pieces of a recently joined line of the same stream and time is such a replay.
class ReplayedTailFilter {
 public:
  // A line of several pieces was emitted.
  void remember(LogStream stream, TimestampNs time, std::span<const std::uint64_t> pieces);
  // Cheap: whether a line of this stream and time could be a replayed tail at all.
  bool may_be_tail(LogStream stream, TimestampNs time) const;
  bool is_tail(LogStream stream, TimestampNs time, std::span<const std::uint64_t> pieces) const;

 private:
  struct Joined {
    TimestampNs time = 0;
    LogStream stream = LogStream::kStdout;
    std::vector<std::uint64_t> pieces;  // empty: unused slot
  };
  // Re-sent blocks seen were up to several hundred lines: long lines among them are few.
  static constexpr std::size_t kRemembered = 16;
  std::array<Joined, kRemembered> recent_;
  std::size_t next_ = 0;
  bool any_ = false;  // nearly every container never writes a line over 16 KiB
};

}  // namespace lc::docker_input
