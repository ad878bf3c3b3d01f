#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <system_error>

namespace lc {

// A place in a disk buffer: a segment (by seq) and the byte offset of a frame boundary in it.
struct SegmentPosition {
  std::uint64_t segment = 0;
  std::uint64_t offset = 0;
  bool operator==(const SegmentPosition&) const = default;
};

// The disk buffer's small state file: how far the sink has acknowledged (committed) records,
// so that a restart does not replay them. JSON {"version":1,"segment":N,"offset":M}, replaced
// atomically.
class CommittedPositionFile {
 public:
  static constexpr int kFormatVersion = 1;

  explicit CommittedPositionFile(std::string path);

  const std::string& path() const { return path_; }
  // nullopt when there is none yet, or when it is unreadable (logged): the buffer then replays
  // every record it holds - duplicates, never a loss.
  std::optional<SegmentPosition> load() const;
  std::error_code save(const SegmentPosition& position, bool durable) const;

 private:
  std::string path_;
};

}  // namespace lc
