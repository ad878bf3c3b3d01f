#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "buffer/disk_buffer/segment_format.hpp"
#include "core/file_sync.hpp"

namespace lc {

// One segment file open for appending whole frames. Owns the descriptor. Knows where the last
// complete frame ends (size()) and writes at exactly that offset, so a failed append (ENOSPC,
// EIO, EFBIG) is cut back and never leaves half a frame behind; if even the cut fails, it is
// retried before the next append. Errors are returned, never thrown.
class SegmentAppender {
 public:
  SegmentAppender() = default;
  ~SegmentAppender();
  SegmentAppender(SegmentAppender&& other) noexcept;
  SegmentAppender& operator=(SegmentAppender&& other) noexcept;
  SegmentAppender(const SegmentAppender&) = delete;
  SegmentAppender& operator=(const SegmentAppender&) = delete;

  // Creates a new segment file holding only the header; fails if the file exists. On failure
  // no file is left behind.
  std::error_code create(const std::string& path, const SegmentHeader& header);
  // Opens an existing segment whose intact frames end at `size` (as recovery found it).
  std::error_code open(const std::string& path, const SegmentHeader& header, std::uint64_t size);
  bool is_open() const { return fd_ >= 0; }
  void close();

  const std::string& path() const { return path_; }
  const SegmentHeader& header() const { return header_; }
  // The checksum seed of this segment's frames, for begin_frame()/end_frame().
  std::uint32_t checksum_seed() const { return seed_; }
  std::uint64_t size() const { return size_; }

  std::error_code append(std::string_view frames);
  // Removes the frames after `size` (e.g. an append whose fsync failed).
  std::error_code cut_back(std::uint64_t size);
  std::error_code sync() { return sync(system_file_sync()); }
  std::error_code sync(FileSync& file_sync);

 private:
  std::error_code write_at(std::string_view bytes, std::uint64_t offset);
  std::error_code truncate_to_size();

  int fd_ = -1;
  std::string path_;
  SegmentHeader header_;
  std::uint32_t seed_ = 0;
  std::uint64_t size_ = 0;
  bool tail_dirty_ = false;  // bytes after size_ that a failed cut left behind
};

}  // namespace lc
