#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>

#include "buffer/disk_buffer/segment_directory.hpp"
#include "buffer/disk_buffer/segment_format.hpp"
#include "metrics/metrics_registry.hpp"

namespace lc {

// What recover_segment() found in one segment file.
struct SegmentRecovery {
  enum class Outcome {
    kUsable,    // the segment holds the frames visited; valid_bytes is its size now
    kRemoved,   // nothing but (part of) a header: a creation cut short; the file is deleted
    kSetAside,  // a damaged header: renamed to <name>.corrupt, its frames unreadable
    kError,     // a read or truncate failed: error
  };
  Outcome outcome = Outcome::kUsable;
  SegmentHeader header;
  std::uint64_t valid_bytes = 0;      // where the last intact frame ends
  std::uint64_t truncated_bytes = 0;  // torn tail cut off the file (0: none)
  std::uint64_t corrupt_regions = 0;  // corrupt regions skipped in the middle
  std::error_code error;
};

using SegmentFrameVisitor = std::function<void(std::uint64_t offset, std::string_view payload)>;

// The start-up check of one segment, shared by the disk buffer and the dead-letter store:
// visits every intact frame in order, skips corrupt regions in the middle (intact frames after
// them are kept), and truncates a torn tail at the end of the last intact frame. Every finding
// is logged with the file and offset; `owner` names the store in those lines.
SegmentRecovery recover_segment(const SegmentDirectory& directory, std::uint64_t seq,
                                SegmentKind kind, std::string_view owner,
                                const SegmentFrameVisitor& visit);

// What a store does with the findings, the same for both: counts a torn tail cut in
// `truncations` and each corrupt region skipped in `skips` (an unreadable file set aside counts
// as one); throws std::system_error, naming the file, on an I/O error. True when the segment's
// frames are there to use.
bool count_recovery(const SegmentRecovery& found, const std::string& path, std::string_view owner,
                    Counter& truncations, Counter& skips);

}  // namespace lc
