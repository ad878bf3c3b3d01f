#include "buffer/disk_buffer/segment_format.hpp"

#include <zlib.h>

#include <random>

#include "buffer/disk_buffer/binary_encoding.hpp"

namespace lc {
namespace {

constexpr std::size_t kHeaderChecksumOffset = SegmentHeader::kSize - 4;

class SegmentErrorCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "segment"; }
  std::string message(int value) const override {
    switch (static_cast<SegmentError>(value)) {
      case SegmentError::kTruncatedHeader:
        return "segment file shorter than its header";
      case SegmentError::kBadMagic:
        return "not a segment file (bad magic)";
      case SegmentError::kUnsupportedVersion:
        return "unsupported segment format version";
      case SegmentError::kWrongKind:
        return "segment of another kind (disk buffer vs dead letters)";
      case SegmentError::kBadHeaderChecksum:
        return "segment header checksum mismatch";
    }
    return "unknown segment error";
  }
};

std::uint32_t crc32_of(std::uint32_t crc, const char* data, std::size_t size) {
  // zlib takes the length as uInt: feed huge inputs in pieces.
  while (size > 0) {
    const auto piece = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
    crc = static_cast<std::uint32_t>(::crc32(crc, reinterpret_cast<const Bytef*>(data), piece));
    data += piece;
    size -= piece;
  }
  return crc;
}

std::uint16_t load_u16_le(const char* at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(at[0]) |
                                    (static_cast<unsigned char>(at[1]) << 8));
}

void put_u16_le(std::string& out, std::uint16_t value) {
  out.push_back(static_cast<char>(value & 0xff));
  out.push_back(static_cast<char>(value >> 8));
}

}  // namespace

const std::error_category& segment_error_category() {
  static const SegmentErrorCategory category;
  return category;
}

std::string encode_segment_header(const SegmentHeader& header) {
  std::string out;
  out.reserve(SegmentHeader::kSize);
  out.append(SegmentHeader::kMagic);
  put_u16_le(out, SegmentHeader::kFormatVersion);
  put_u16_le(out, static_cast<std::uint16_t>(header.kind));
  put_u64_le(out, header.salt);
  put_u64_le(out, header.base);
  out.append(4, '\0');
  store_u32_le(out.data() + kHeaderChecksumOffset, crc32_of(0, out.data(), kHeaderChecksumOffset));
  return out;
}

std::error_code decode_segment_header(std::string_view bytes, SegmentKind expected,
                                      SegmentHeader& out) {
  if (bytes.size() < SegmentHeader::kSize) return SegmentError::kTruncatedHeader;
  if (bytes.substr(0, SegmentHeader::kMagic.size()) != SegmentHeader::kMagic) {
    return SegmentError::kBadMagic;
  }
  const char* at = bytes.data();
  if (load_u32_le(at + kHeaderChecksumOffset) != crc32_of(0, at, kHeaderChecksumOffset)) {
    return SegmentError::kBadHeaderChecksum;
  }
  if (load_u16_le(at + 8) != SegmentHeader::kFormatVersion) {
    return SegmentError::kUnsupportedVersion;
  }
  if (load_u16_le(at + 10) != static_cast<std::uint16_t>(expected)) {
    return SegmentError::kWrongKind;
  }
  out.kind = expected;
  out.salt = load_u64_le(at + 12);
  out.base = load_u64_le(at + 20);
  return {};
}

std::uint64_t random_segment_salt() {
  thread_local std::mt19937_64 generator{
      (static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()};
  return generator();
}

std::uint32_t frame_checksum_seed(std::uint64_t salt) {
  std::string bytes;
  put_u64_le(bytes, salt);
  return crc32_of(0, bytes.data(), bytes.size());
}

std::uint32_t frame_checksum(std::uint32_t seed, std::string_view payload) {
  return crc32_of(seed, payload.data(), payload.size());
}

bool end_frame(std::string& out, std::size_t start, std::uint32_t seed) {
  const std::size_t payload_size = out.size() - start - kFrameHeaderBytes;
  if (payload_size == 0 || payload_size > kMaxFramePayloadBytes) {
    out.resize(start);
    return false;
  }
  const std::string_view payload(out.data() + start + kFrameHeaderBytes, payload_size);
  store_u32_le(out.data() + start, static_cast<std::uint32_t>(payload_size));
  store_u32_le(out.data() + start + 4, frame_checksum(seed, payload));
  return true;
}

}  // namespace lc
