#include "buffer/disk_buffer/segment_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "buffer/disk_buffer/binary_encoding.hpp"
#include "core/last_error.hpp"

namespace lc {
namespace {

constexpr std::size_t kReadChunk = 256 * 1024;
// After a large frame, a buffer beyond this is released rather than kept for the reader's life.
constexpr std::size_t kMaxRetainedCapacity = 4 * kReadChunk;

}  // namespace

SegmentReader::~SegmentReader() { close(); }

SegmentReader::SegmentReader(SegmentReader&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      header_(other.header_),
      seed_(other.seed_),
      end_(other.end_),
      position_(other.position_),
      buffer_(std::move(other.buffer_)),
      buffer_offset_(other.buffer_offset_) {}

SegmentReader& SegmentReader::operator=(SegmentReader&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    header_ = other.header_;
    seed_ = other.seed_;
    end_ = other.end_;
    position_ = other.position_;
    buffer_ = std::move(other.buffer_);
    buffer_offset_ = other.buffer_offset_;
  }
  return *this;
}

void SegmentReader::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  buffer_.clear();
  buffer_offset_ = 0;
}

std::error_code SegmentReader::open(const std::string& path, SegmentKind kind) {
  close();
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return last_error();
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const std::error_code ec = last_error();
    close();
    return ec;
  }
  end_ = static_cast<std::uint64_t>(st.st_size);
  std::error_code ec;
  if (end_ < SegmentHeader::kSize) {
    ec = SegmentError::kTruncatedHeader;
  } else if (fill(0, SegmentHeader::kSize, ec)) {
    ec = decode_segment_header(view(0, SegmentHeader::kSize), kind, header_);
  }
  if (ec) {
    close();
    return ec;
  }
  seed_ = frame_checksum_seed(header_.salt);
  position_ = SegmentHeader::kSize;
  return {};
}

bool SegmentReader::fill(std::uint64_t offset, std::size_t size, std::error_code& ec) {
  if (offset >= buffer_offset_ && offset + size <= buffer_offset_ + buffer_.size()) return true;
  if (offset >= buffer_offset_ && offset < buffer_offset_ + buffer_.size()) {
    buffer_.erase(0, static_cast<std::size_t>(offset - buffer_offset_));  // keep what follows
  } else {
    buffer_.clear();
  }
  buffer_offset_ = offset;
  const auto want =
      static_cast<std::size_t>(std::min<std::uint64_t>(end_ - offset, std::max(size, kReadChunk)));
  if (buffer_.capacity() > kMaxRetainedCapacity && want <= kReadChunk) buffer_.shrink_to_fit();
  std::size_t have = buffer_.size();
  buffer_.resize(want);
  while (have < size) {
    const ssize_t n =
        ::pread(fd_, buffer_.data() + have, want - have, static_cast<off_t>(offset + have));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      // n == 0: the file is shorter than it was (cut by someone else) - as bad as EIO.
      ec = n < 0 ? last_error() : std::make_error_code(std::errc::io_error);
      buffer_.resize(have);
      return false;
    }
    have += static_cast<std::size_t>(n);
  }
  buffer_.resize(have);
  return true;
}

std::string_view SegmentReader::view(std::uint64_t offset, std::size_t size) const {
  return std::string_view(buffer_).substr(static_cast<std::size_t>(offset - buffer_offset_), size);
}

SegmentReader::Probe SegmentReader::probe(std::uint64_t offset, std::uint64_t& size,
                                          std::error_code& ec) {
  size = 0;
  if (offset >= end_ || end_ - offset <= kFrameHeaderBytes) return Probe::kBad;
  if (!fill(offset, kFrameHeaderBytes, ec)) return Probe::kError;
  const std::string_view header = view(offset, kFrameHeaderBytes);
  const std::uint32_t length = load_u32_le(header.data());
  const std::uint32_t checksum = load_u32_le(header.data() + 4);
  if (length == 0 || length > kMaxFramePayloadBytes || length > end_ - offset - kFrameHeaderBytes) {
    return Probe::kBad;
  }
  size = kFrameHeaderBytes + length;  // what the frame claims, even when it proves bad
  if (!fill(offset, static_cast<std::size_t>(size), ec)) return Probe::kError;
  if (frame_checksum(seed_, view(offset + kFrameHeaderBytes, length)) != checksum) {
    return Probe::kBad;
  }
  return Probe::kIntact;
}

SegmentReader::Step SegmentReader::next() {
  Step step;
  step.offset = position_;
  if (position_ >= end_) {
    step.next_offset = position_;
    return step;  // kEnd
  }
  std::uint64_t size = 0;
  switch (probe(position_, size, step.error)) {
    case Probe::kIntact:
      step.kind = Step::Kind::kFrame;
      step.payload = view(position_ + kFrameHeaderBytes, size - kFrameHeaderBytes);
      position_ += size;
      step.next_offset = position_;
      return step;
    case Probe::kError:
      step.kind = Step::Kind::kError;
      step.next_offset = position_;
      return step;
    case Probe::kBad:
      break;
  }
  return recover_from(position_, size == 0 ? 0 : position_ + size);
}

SegmentReader::Step SegmentReader::recover_from(std::uint64_t bad_offset,
                                                std::uint64_t claimed_end) {
  Step step;
  step.offset = bad_offset;
  std::uint64_t size = 0;
  const auto found = [&](std::uint64_t at) {
    step.kind = Step::Kind::kCorrupt;
    step.next_offset = position_ = at;
    return step;
  };
  const auto failed = [&] {
    step.kind = Step::Kind::kError;
    step.next_offset = position_;
    return step;
  };
  // Only the checksum was wrong: the bad frame's own length most likely leads to the next one.
  if (claimed_end > bad_offset && claimed_end < end_) {
    switch (probe(claimed_end, size, step.error)) {
      case Probe::kIntact:
        return found(claimed_end);
      case Probe::kError:
        return failed();
      case Probe::kBad:
        break;
    }
  }
  // Otherwise (a damaged length, or bytes lost) search byte by byte.
  for (std::uint64_t at = bad_offset + 1; at < end_ && end_ - at > kFrameHeaderBytes; ++at) {
    switch (probe(at, size, step.error)) {
      case Probe::kIntact:
        return found(at);
      case Probe::kError:
        return failed();
      case Probe::kBad:
        break;
    }
  }
  step.kind = Step::Kind::kTornTail;
  step.next_offset = position_ = end_;
  return step;
}

}  // namespace lc
