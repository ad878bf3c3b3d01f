#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "buffer/disk_buffer/segment_format.hpp"

namespace lc {

// Reads the frames of one segment file in order and checks each one (length within bounds and
// the file, checksum right). A bad frame is never fatal: the reader looks for the next intact
// frame after it and reports the bad bytes either as a corrupt region in the middle (intact
// frames follow: reading goes on after them) or as a torn tail (nothing intact follows).
// Memory: one read buffer, grown only to the largest frame. Owns its descriptor.
class SegmentReader {
 public:
  struct Step {
    enum class Kind {
      kFrame,     // an intact frame: payload
      kEnd,       // clean end: nothing more before end()
      kCorrupt,   // [offset, next_offset) is not intact; an intact frame starts at next_offset
      kTornTail,  // [offset, end()) holds no intact frame
      kError,     // a read failed: error
    };
    Kind kind = Kind::kEnd;
    std::uint64_t offset = 0;       // where the frame or the bad bytes start
    std::uint64_t next_offset = 0;  // where the next call reads
    std::string_view payload;       // kFrame only; valid until the next call
    std::error_code error;          // kError only
  };

  SegmentReader() = default;
  ~SegmentReader();
  SegmentReader(SegmentReader&& other) noexcept;
  SegmentReader& operator=(SegmentReader&& other) noexcept;
  SegmentReader(const SegmentReader&) = delete;
  SegmentReader& operator=(const SegmentReader&) = delete;

  // Opens the file and checks its header (a SegmentError when it is not a segment of `kind`).
  // Reading starts after the header and stops at the file's size at open.
  std::error_code open(const std::string& path, SegmentKind kind);
  bool is_open() const { return fd_ >= 0; }
  void close();

  const SegmentHeader& header() const { return header_; }
  std::uint64_t end() const { return end_; }
  // Where the next frame is read. The writer of the same segment moves end() as it appends.
  std::uint64_t position() const { return position_; }
  void set_end(std::uint64_t end) { end_ = end; }
  // Continues at a frame boundary met before (or the header's end).
  void seek(std::uint64_t offset) { position_ = offset; }

  Step next();

 private:
  enum class Probe { kIntact, kBad, kError };

  // Makes [offset, offset + size) of the file readable in buffer_; size must fit before end_.
  bool fill(std::uint64_t offset, std::size_t size, std::error_code& ec);
  std::string_view view(std::uint64_t offset, std::size_t size) const;
  // Is there an intact frame at offset? On kIntact, size is its whole length with header.
  Probe probe(std::uint64_t offset, std::uint64_t& size, std::error_code& ec);
  Step recover_from(std::uint64_t bad_offset, std::uint64_t claimed_end);

  int fd_ = -1;
  SegmentHeader header_;
  std::uint32_t seed_ = 0;
  std::uint64_t end_ = 0;
  std::uint64_t position_ = 0;
  std::string buffer_;  // bytes of the file from buffer_offset_
  std::uint64_t buffer_offset_ = 0;
};

}  // namespace lc
