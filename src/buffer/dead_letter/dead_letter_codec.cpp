#include "buffer/dead_letter/dead_letter_codec.hpp"

#include "buffer/disk_buffer/binary_encoding.hpp"
#include "buffer/disk_buffer/segment_format.hpp"

namespace lc {
namespace {

bool get_type(ByteReader& in, FrameType expected) {
  std::uint8_t type = 0;
  return in.get_u8(type) && type == static_cast<std::uint8_t>(expected);
}

}  // namespace

bool append_dead_letter_frame(std::string& out, std::uint32_t checksum_seed,
                              const DeadLetterEntry& entry, SourceRefs refs) {
  const std::size_t frame = begin_frame(out);
  put_u8(out, static_cast<std::uint8_t>(FrameType::kDeadLetter));
  put_varint(out, entry.id);
  put_u64_le(out, static_cast<std::uint64_t>(entry.added));
  put_bytes(out, entry.sink);
  put_bytes(out, entry.reason.kind);
  put_bytes(out, entry.reason.message);
  append_record_body(out, entry.record, refs);
  return end_frame(out, frame, checksum_seed);
}

bool decode_dead_letter(std::string_view payload, const SegmentSources& sources,
                        DeadLetterEntry& out) {
  ByteReader in(payload);
  std::uint64_t added = 0;
  if (!get_type(in, FrameType::kDeadLetter) || !in.get_varint(out.id) || out.id == 0 ||
      !in.get_u64_le(added) || !in.get_string(out.sink) || !in.get_string(out.reason.kind) ||
      !in.get_string(out.reason.message)) {
    return false;
  }
  out.added = static_cast<TimestampNs>(added);
  return decode_record_body(in, sources, out.record);
}

void append_removal_frame(std::string& out, std::uint32_t checksum_seed,
                          std::span<const std::uint64_t> ids) {
  const std::size_t frame = begin_frame(out);
  put_u8(out, static_cast<std::uint8_t>(FrameType::kDeadLetterRemoval));
  put_varint(out, ids.size());
  for (const std::uint64_t id : ids) put_varint(out, id);
  end_frame(out, frame, checksum_seed);  // ~10 bytes per id: far below the frame limit
}

bool decode_removal(std::string_view payload, std::vector<std::uint64_t>& ids) {
  ByteReader in(payload);
  std::uint64_t count = 0;
  if (!get_type(in, FrameType::kDeadLetterRemoval) || !in.get_varint(count) ||
      count > in.remaining()) {
    return false;
  }
  ids.resize(static_cast<std::size_t>(count));
  for (std::uint64_t& id : ids) {
    if (!in.get_varint(id)) return false;
  }
  return in.empty();
}

}  // namespace lc
