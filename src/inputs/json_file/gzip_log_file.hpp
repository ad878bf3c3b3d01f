#pragma once

#include <sys/types.h>
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace lc::json_file {

// A rotated json-file log that dockerd compressed (`--log-opt compress=true`: <log>.N.gz),
// read at offsets of its uncompressed bytes like a plain file, so that positions, fingerprints
// and checkpoints mean the same in both. The reader reads forward, each offset at most the
// last read's length behind the previous one: that is served from a window of inflated bytes;
// an earlier offset inflates again from the start. Hand-written over zlib's inflate because
// gzread cannot read through a pinned fd at an offset (pread) nor keep such a window.
class GzipLogFile {
 public:
  explicit GzipLogFile(int fd);  // not owned: the fd must outlive this object
  ~GzipLogFile();
  GzipLogFile(const GzipLogFile&) = delete;
  GzipLogFile& operator=(const GzipLogFile&) = delete;

  // Up to `size` uncompressed bytes from `offset`; fewer at the end of what is there (a file
  // dockerd is still compressing ends early). -1 with errno on a read error or corrupt data
  // (EIO).
  ssize_t read_at(char* data, std::size_t size, std::uint64_t offset);
  // The last read reached the end of the input at the end of a gzip member: nothing is cut
  // off (a file that ends inside a member was cut short, or is still being written).
  bool ended_cleanly() const { return input_ended_ && at_member_end_; }

 private:
  bool rewind();
  // Inflates one more piece onto the window; false at the end of the input or on an error
  // (`failed_`).
  bool inflate_more();

  static constexpr std::size_t kPieceBytes = 64 * 1024;
  const int fd_;
  z_stream stream_{};
  bool initialized_ = false;
  bool failed_ = false;
  bool input_ended_ = false;
  bool at_member_end_ = false;
  int error_ = 0;
  std::uint64_t compressed_offset_ = 0;  // next byte of the .gz to feed to inflate
  std::string input_;                    // compressed bytes read, not yet inflated
  std::string window_;                   // inflated bytes from window_start_
  std::uint64_t window_start_ = 0;
};

}  // namespace lc::json_file
