#include "buffer/disk_buffer/segment_appender.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "core/last_error.hpp"

namespace lc {

SegmentAppender::~SegmentAppender() { close(); }

SegmentAppender::SegmentAppender(SegmentAppender&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      header_(other.header_),
      seed_(other.seed_),
      size_(other.size_),
      tail_dirty_(other.tail_dirty_) {}

SegmentAppender& SegmentAppender::operator=(SegmentAppender&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    header_ = other.header_;
    seed_ = other.seed_;
    size_ = other.size_;
    tail_dirty_ = other.tail_dirty_;
  }
  return *this;
}

void SegmentAppender::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::error_code SegmentAppender::create(const std::string& path, const SegmentHeader& header) {
  close();
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd_ < 0) return last_error();
  if (auto ec = write_at(encode_segment_header(header), 0)) {
    close();
    ::unlink(path.c_str());
    return ec;
  }
  path_ = path;
  header_ = header;
  seed_ = frame_checksum_seed(header.salt);
  size_ = SegmentHeader::kSize;
  tail_dirty_ = false;
  return {};
}

std::error_code SegmentAppender::open(const std::string& path, const SegmentHeader& header,
                                      std::uint64_t size) {
  close();
  fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd_ < 0) return last_error();
  path_ = path;
  header_ = header;
  seed_ = frame_checksum_seed(header.salt);
  size_ = size;
  tail_dirty_ = false;
  return {};
}

std::error_code SegmentAppender::write_at(std::string_view bytes, std::uint64_t offset) {
  while (!bytes.empty()) {
    const ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    if (n == 0) return std::make_error_code(std::errc::io_error);  // no progress: avoid a spin
    bytes.remove_prefix(static_cast<std::size_t>(n));
    offset += static_cast<std::uint64_t>(n);
  }
  return {};
}

std::error_code SegmentAppender::truncate_to_size() {
  while (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
    if (errno != EINTR) {
      tail_dirty_ = true;
      return last_error();
    }
  }
  tail_dirty_ = false;
  return {};
}

std::error_code SegmentAppender::append(std::string_view frames) {
  if (fd_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  if (tail_dirty_) {
    if (auto ec = truncate_to_size()) return ec;
  }
  if (auto ec = write_at(frames, size_)) {
    truncate_to_size();  // no half frame may remain; retried before the next append if it fails
    return ec;
  }
  size_ += frames.size();
  return {};
}

std::error_code SegmentAppender::cut_back(std::uint64_t size) {
  if (fd_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  if (size < size_) size_ = size;
  return truncate_to_size();
}

std::error_code SegmentAppender::sync(FileSync& file_sync) {
  if (fd_ < 0) return std::make_error_code(std::errc::bad_file_descriptor);
  return file_sync.sync(fd_);
}

}  // namespace lc
