#include "sinks/common/zstd_compressor.hpp"

#include <zstd.h>

#include <stdexcept>

namespace lc {

ZstdCompressor::ZstdCompressor(int level) : context_(ZSTD_createCCtx()), level_(level) {
  if (context_ == nullptr) throw std::runtime_error("zstd: cannot create a compression context");
}

ZstdCompressor::~ZstdCompressor() { ZSTD_freeCCtx(context_); }

void ZstdCompressor::compress(std::string_view input, std::string& out) {
  out.resize(ZSTD_compressBound(input.size()));
  const std::size_t size =
      ZSTD_compressCCtx(context_, out.data(), out.size(), input.data(), input.size(), level_);
  if (ZSTD_isError(size)) {
    throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(size));
  }
  out.resize(size);
}

}  // namespace lc
