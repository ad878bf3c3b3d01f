#pragma once

#include <zlib.h>

#include <string>
#include <string_view>

namespace lc {

// Compresses whole buffers into the gzip format (RFC 1952) for Content-Encoding: gzip. Owns one
// zlib deflate state, reset and reused for every buffer instead of set up each time.
class GzipCompressor {
 public:
  explicit GzipCompressor(int level = Z_DEFAULT_COMPRESSION);
  ~GzipCompressor();
  GzipCompressor(const GzipCompressor&) = delete;
  GzipCompressor& operator=(const GzipCompressor&) = delete;

  // Replaces `out` with the compressed `input`. Throws std::runtime_error on a zlib failure
  // (out of memory) or an input of 4 GiB or more.
  void compress(std::string_view input, std::string& out);

 private:
  z_stream stream_{};
};

}  // namespace lc
