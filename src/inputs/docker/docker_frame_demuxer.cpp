#include "inputs/docker/docker_frame_demuxer.hpp"

#include <algorithm>

namespace lc::docker_input {

std::optional<FrameHeader> DockerFrameDemuxer::parse_header(const char* header_bytes) {
  const auto* b = reinterpret_cast<const unsigned char*>(header_bytes);
  if (b[0] > static_cast<unsigned char>(FrameStream::kStderr) || b[1] != 0 || b[2] != 0 ||
      b[3] != 0) {
    return std::nullopt;
  }
  const std::uint32_t length = (std::uint32_t{b[4]} << 24) | (std::uint32_t{b[5]} << 16) |
                               (std::uint32_t{b[6]} << 8) | std::uint32_t{b[7]};
  if (length > kMaxPayloadBytes) return std::nullopt;
  return FrameHeader{static_cast<FrameStream>(b[0]), length};
}

bool DockerFrameDemuxer::complete_partial(std::string_view& bytes) {
  if (partial_.size() < kHeaderBytes) {
    const std::size_t take = std::min(kHeaderBytes - partial_.size(), bytes.size());
    partial_.append(bytes.data(), take);
    bytes.remove_prefix(take);
    if (partial_.size() < kHeaderBytes) return false;
    const std::optional<FrameHeader> header = parse_header(partial_.data());
    if (!header) {
      status_ = DemuxStatus::kMalformedHeader;
      release_partial();
      return false;
    }
    partial_header_ = *header;
    partial_.reserve(kHeaderBytes + header->payload_bytes);
  }
  const std::size_t frame_bytes = kHeaderBytes + partial_header_.payload_bytes;
  const std::size_t take = std::min(frame_bytes - partial_.size(), bytes.size());
  partial_.append(bytes.data(), take);
  bytes.remove_prefix(take);
  return partial_.size() == frame_bytes;
}

void DockerFrameDemuxer::release_partial() {
  // Docker's frames are ~16 KiB: give back what an unusually large one made us hold.
  constexpr std::size_t kKeptCapacity = 64 * 1024;
  if (partial_.capacity() > kKeptCapacity) {
    std::string().swap(partial_);
  } else {
    partial_.clear();
  }
}

}  // namespace lc::docker_input
