#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "buffer/dead_letter/dead_letter_entry.hpp"
#include "buffer/disk_buffer/record_codec.hpp"

namespace lc {

// The dead-letter store's payloads (docs/disk-buffer.md), in segments of kind kDeadLetters:
//   kDeadLetter:        [type][varint id][u64 added][bytes sink][bytes reason kind]
//                       [bytes reason message][record body, as the disk buffer's]
//   kDeadLetterRemoval: [type][varint count][varint id]...   (ids of the same segment)
// Records refer to the segment's source tables like disk-buffer records do.

// Appends the kDeadLetter frame of `entry` (its record referring to `refs`). False, appending
// nothing, when it exceeds kMaxFramePayloadBytes.
bool append_dead_letter_frame(std::string& out, std::uint32_t checksum_seed,
                              const DeadLetterEntry& entry, SourceRefs refs);
// Decodes a kDeadLetter payload (type byte included). False on anything malformed.
bool decode_dead_letter(std::string_view payload, const SegmentSources& sources,
                        DeadLetterEntry& out);

void append_removal_frame(std::string& out, std::uint32_t checksum_seed,
                          std::span<const std::uint64_t> ids);
// Decodes a kDeadLetterRemoval payload (type byte included). False on anything malformed.
bool decode_removal(std::string_view payload, std::vector<std::uint64_t>& ids);

}  // namespace lc
