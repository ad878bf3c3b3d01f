#include "sinks/common/gzip_compressor.hpp"

#include <libdeflate.h>

#include <stdexcept>
#include <string>

namespace lc {

GzipCompressor::GzipCompressor(int level) : compressor_(libdeflate_alloc_compressor(level)) {
  if (compressor_ == nullptr) {
    throw std::runtime_error("gzip: cannot allocate a compressor of level " +
                             std::to_string(level));
  }
}

GzipCompressor::~GzipCompressor() { libdeflate_free_compressor(compressor_); }

void GzipCompressor::compress(std::string_view input, std::string& out) {
  // The bound is enough for any input of that size, so compression cannot run out of room.
  out.resize(libdeflate_gzip_compress_bound(compressor_, input.size()));
  const std::size_t written =
      libdeflate_gzip_compress(compressor_, input.data(), input.size(), out.data(), out.size());
  if (written == 0) {
    throw std::runtime_error("gzip: input of " + std::to_string(input.size()) +
                             " bytes did not compress into its bound");
  }
  out.resize(written);
}

}  // namespace lc
