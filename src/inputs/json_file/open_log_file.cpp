#include "inputs/json_file/open_log_file.hpp"

#include "inputs/json_file/positioned_read.hpp"

namespace lc::json_file {

OpenLogFile::OpenLogFile(UniqueFd fd, const ChainFile& file, std::uint64_t offset)
    : identity(file.identity),
      offset(offset),
      fd_(std::move(fd)),
      gzip_(file.compressed ? std::make_unique<GzipLogFile>(fd_.get()) : nullptr) {}

ssize_t OpenLogFile::read_at(char* data, std::size_t size, std::uint64_t at) {
  return gzip_ ? gzip_->read_at(data, size, at) : json_file::read_at(fd_.get(), data, size, at);
}

bool OpenLogFile::is_line_start(std::uint64_t at) {
  if (at == 0) return true;
  char byte = 0;
  return read_at(&byte, 1, at - 1) == 1 && byte == '\n';
}

std::uint64_t OpenLogFile::first_line_fingerprint() {
  // A separate decompressor for a .gz: the reading one keeps its window where it reads.
  if (fingerprint_ == 0) fingerprint_ = file_fingerprint(fd_.get(), compressed());
  return fingerprint_;
}

}  // namespace lc::json_file
