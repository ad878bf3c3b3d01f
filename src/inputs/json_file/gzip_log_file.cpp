#include "inputs/json_file/gzip_log_file.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

#include "inputs/json_file/positioned_read.hpp"

namespace lc::json_file {

namespace {
constexpr int kGzipWindowBits = 16 + MAX_WBITS;  // a gzip header and trailer around deflate
}  // namespace

GzipLogFile::GzipLogFile(int fd) : fd_(fd) { rewind(); }

GzipLogFile::~GzipLogFile() {
  if (initialized_) inflateEnd(&stream_);
}

bool GzipLogFile::rewind() {
  if (initialized_) inflateEnd(&stream_);
  stream_ = z_stream{};
  initialized_ = inflateInit2(&stream_, kGzipWindowBits) == Z_OK;
  failed_ = !initialized_;
  error_ = initialized_ ? 0 : ENOMEM;
  compressed_offset_ = 0;
  input_ended_ = false;
  at_member_end_ = false;
  input_.clear();
  window_.clear();
  window_start_ = 0;
  return initialized_;
}

bool GzipLogFile::inflate_more() {
  if (failed_) return false;
  if (input_ended_ && at_member_end_) return false;  // trailing bytes ignored (below)
  if (input_.empty()) {
    input_.resize(kPieceBytes);
    const ssize_t n = json_file::read_at(fd_, input_.data(), input_.size(), compressed_offset_);
    if (n < 0) {
      error_ = errno;
      failed_ = true;
    }
    input_.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    input_ended_ = n == 0;
    if (input_.empty()) return false;  // the end of the .gz, or still being written
    compressed_offset_ += input_.size();
  }
  // After a member, only another member's magic number goes on: padding or trailing bytes
  // after the last member are not log data.
  if (at_member_end_ && static_cast<unsigned char>(input_[0]) != 0x1f) {
    input_ended_ = true;
    return false;
  }
  std::array<char, kPieceBytes> output;
  stream_.next_in = reinterpret_cast<Bytef*>(input_.data());
  stream_.avail_in = static_cast<uInt>(input_.size());
  stream_.next_out = reinterpret_cast<Bytef*>(output.data());
  stream_.avail_out = static_cast<uInt>(output.size());
  const int status = inflate(&stream_, Z_NO_FLUSH);
  const std::size_t used = input_.size() - stream_.avail_in;
  input_.erase(0, used);
  window_.append(output.data(), output.size() - stream_.avail_out);
  at_member_end_ = status == Z_STREAM_END || (at_member_end_ && used == 0);
  if (status == Z_STREAM_END) {
    // gzip allows several members one after the other: go on with the next, if any.
    if (inflateReset(&stream_) != Z_OK) {
      error_ = EIO;
      failed_ = true;
    }
    return true;
  }
  if (status != Z_OK && status != Z_BUF_ERROR) {
    error_ = EIO;
    failed_ = true;
    return false;
  }
  return used > 0 || output.size() != stream_.avail_out;
}

ssize_t GzipLogFile::read_at(char* data, std::size_t size, std::uint64_t offset) {
  if (offset < window_start_ && !rewind()) {
    errno = error_;
    return -1;
  }
  for (;;) {
    // Keep what lies at or after `offset`; inflate up to it, then up to `size` bytes past it.
    const std::uint64_t drop = std::min<std::uint64_t>(offset - window_start_, window_.size());
    window_.erase(0, drop);
    window_start_ += drop;
    if (window_start_ == offset && window_.size() >= size) break;
    if (!inflate_more()) break;
  }
  // What was inflated before an error is still good: the error comes at the next read.
  if (window_start_ != offset || window_.empty()) {
    if (!failed_) return 0;  // at or past the end
    errno = error_;
    return -1;
  }
  const std::size_t n = std::min(size, window_.size());
  std::memcpy(data, window_.data(), n);
  return static_cast<ssize_t>(n);
}

}  // namespace lc::json_file
