#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lc::docker_input {

// The stream byte of a frame header in the Engine API's multiplexed (non-TTY) body.
enum class FrameStream : std::uint8_t { kStdin = 0, kStdout = 1, kStderr = 2 };

struct FrameHeader {
  FrameStream stream = FrameStream::kStdout;
  std::uint32_t payload_bytes = 0;
};

struct Frame {
  FrameStream stream = FrameStream::kStdout;
  std::string_view payload;  // valid only during the callback
};

enum class DemuxStatus : std::uint8_t {
  kOk,
  kMalformedHeader,  // the bytes are not a frame header: the stream is out of sync
  kStopped,          // the frame callback returned false
};

// Splits a non-TTY log body into frames: [stream][0 0 0][uint32 big-endian length] payload.
// Bytes may be split anywhere between calls. Frames wholly inside one call are handed over
// without a copy; only a frame straddling two calls is buffered, so memory stays within one frame.
class DockerFrameDemuxer {
 public:
  static constexpr std::size_t kHeaderBytes = 8;
  // Docker's pieces are 16 KiB plus a timestamp; anything far larger means we lost sync.
  static constexpr std::uint32_t kMaxPayloadBytes = 1024 * 1024 + 64;

  // nullopt for a stream byte above 2, non-zero padding or a length above kMaxPayloadBytes.
  static std::optional<FrameHeader> parse_header(const char* header_bytes);

  // Calls on_frame(const Frame&) -> bool for each complete frame, in order. After a status
  // other than kOk the demuxer stays in that status and consumes nothing more.
  template <typename OnFrame>
  DemuxStatus feed(std::string_view bytes, OnFrame&& on_frame);

  // True when bytes of an unfinished frame are buffered (the stream ended mid-frame).
  bool has_partial_frame() const { return !partial_.empty(); }
  DemuxStatus status() const { return status_; }

 private:
  // Adds bytes to the straddling frame; true once the frame is complete in partial_.
  bool complete_partial(std::string_view& bytes);
  void release_partial();

  DemuxStatus status_ = DemuxStatus::kOk;
  std::string partial_;           // header and payload bytes of a frame straddling calls
  FrameHeader partial_header_{};  // valid once partial_ holds a whole header
};

template <typename OnFrame>
DemuxStatus DockerFrameDemuxer::feed(std::string_view bytes, OnFrame&& on_frame) {
  if (status_ != DemuxStatus::kOk) return status_;
  if (!partial_.empty()) {
    if (!complete_partial(bytes)) return status_;
    const Frame frame{partial_header_.stream, std::string_view(partial_).substr(kHeaderBytes)};
    const bool keep_going = on_frame(frame);
    release_partial();
    if (!keep_going) return status_ = DemuxStatus::kStopped;
  }
  while (bytes.size() >= kHeaderBytes) {
    const std::optional<FrameHeader> header = parse_header(bytes.data());
    if (!header) return status_ = DemuxStatus::kMalformedHeader;
    if (bytes.size() - kHeaderBytes < header->payload_bytes) break;
    const Frame frame{header->stream, bytes.substr(kHeaderBytes, header->payload_bytes)};
    bytes.remove_prefix(kHeaderBytes + header->payload_bytes);
    if (!on_frame(frame)) return status_ = DemuxStatus::kStopped;
  }
  if (!bytes.empty()) complete_partial(bytes);
  return status_;
}

}  // namespace lc::docker_input
