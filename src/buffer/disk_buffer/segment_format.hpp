#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

namespace lc {

// The segment file format shared by the disk buffer and the dead-letter store
// (docs/disk-buffer.md): a 32-byte header, then frames
//   [u32 LE payload length][u32 LE checksum][payload]
// where checksum = CRC-32 (zlib's) of the segment's 8-byte salt followed by the payload. The
// salt is random per segment: a log line whose bytes happen to look like a frame can never pass
// for one when a reader searches past a corrupt region.

enum class SegmentKind : std::uint16_t { kDiskBuffer = 1, kDeadLetters = 2 };

// The first byte of every payload says what the frame holds.
enum class FrameType : std::uint8_t {
  kContainerMetadata = 1,  // a container's metadata, defined once per segment
  kRecord = 2,             // a disk-buffered LogRecord
  kDeadLetter = 3,         // a dead-letter entry: id, time, sink, reason, record
  kDeadLetterRemoval = 4,  // ids of dead letters of this segment removed (reprocessed)
  kFileSource = 5,         // a tailed file's source (path, labels), defined once per segment
};

inline constexpr std::size_t kFrameHeaderBytes = 8;
// Larger lengths are corruption, not data: a record is at most max_line_bytes plus metadata.
inline constexpr std::uint32_t kMaxFramePayloadBytes = 128u << 20;

struct SegmentHeader {
  static constexpr std::string_view kMagic = "LCSEGMNT";
  static constexpr std::uint16_t kFormatVersion = 1;
  // magic(8) version(u16) kind(u16) salt(u64) base(u64) crc32 of the 28 bytes before(u32)
  static constexpr std::size_t kSize = 32;

  SegmentKind kind = SegmentKind::kDiskBuffer;
  std::uint64_t salt = 0;  // seeds every frame checksum of the segment
  std::uint64_t base = 0;  // the dead-letter store's next id when the segment began; else 0
  bool operator==(const SegmentHeader&) const = default;
};

// Why a segment header was refused.
enum class SegmentError {
  kTruncatedHeader = 1,  // shorter than a header: its creation was interrupted
  kBadMagic,
  kUnsupportedVersion,
  kWrongKind,
  kBadHeaderChecksum,
};
const std::error_category& segment_error_category();
inline std::error_code make_error_code(SegmentError e) {
  return {static_cast<int>(e), segment_error_category()};
}

std::string encode_segment_header(const SegmentHeader& header);
// Reads exactly SegmentHeader::kSize bytes (fewer: kTruncatedHeader).
std::error_code decode_segment_header(std::string_view bytes, SegmentKind expected,
                                      SegmentHeader& out);

// A fresh random salt for a new segment.
std::uint64_t random_segment_salt();

// The running CRC after the salt: each frame's checksum continues from it over the payload.
std::uint32_t frame_checksum_seed(std::uint64_t salt);
std::uint32_t frame_checksum(std::uint32_t seed, std::string_view payload);

// Builds frames in place in a buffer: begin_frame() reserves the frame header, the caller
// appends the payload, end_frame() fills in length and checksum. end_frame() returns false, and
// removes the frame, when the payload is empty or larger than kMaxFramePayloadBytes.
inline std::size_t begin_frame(std::string& out) {
  const std::size_t start = out.size();
  out.append(kFrameHeaderBytes, '\0');
  return start;
}
bool end_frame(std::string& out, std::size_t start, std::uint32_t seed);

}  // namespace lc

template <>
struct std::is_error_code_enum<lc::SegmentError> : std::true_type {};
