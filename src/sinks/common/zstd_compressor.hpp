#pragma once

#include <string>
#include <string_view>

struct ZSTD_CCtx_s;

namespace lc {

// Compresses whole buffers into zstd frames for Content-Encoding: zstd (RFC 8878). Owns one
// compression context, reused for every buffer.
class ZstdCompressor {
 public:
  // Level 1: the fastest of the regular levels, what a log shipper's CPU budget affords.
  explicit ZstdCompressor(int level = 1);
  ~ZstdCompressor();
  ZstdCompressor(const ZstdCompressor&) = delete;
  ZstdCompressor& operator=(const ZstdCompressor&) = delete;

  // Replaces `out` with the compressed `input`. Throws std::runtime_error on a zstd failure.
  void compress(std::string_view input, std::string& out);

 private:
  ZSTD_CCtx_s* context_;
  int level_;
};

}  // namespace lc
