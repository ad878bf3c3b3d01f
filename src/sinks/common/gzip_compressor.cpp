#include "sinks/common/gzip_compressor.hpp"

#include <limits>
#include <stdexcept>
#include <string>

namespace lc {
namespace {

constexpr int kGzipWindowBits = 15 + 16;  // the largest window, with a gzip header and trailer
constexpr int kMemoryLevel = 8;           // zlib's default

[[noreturn]] void fail(const char* step, int code, const z_stream& stream) {
  throw std::runtime_error(std::string("gzip ") + step + " failed (zlib " + std::to_string(code) +
                           (stream.msg != nullptr ? std::string(": ") + stream.msg : "") + ")");
}

}  // namespace

GzipCompressor::GzipCompressor(int level) {
  const int code =
      deflateInit2(&stream_, level, Z_DEFLATED, kGzipWindowBits, kMemoryLevel, Z_DEFAULT_STRATEGY);
  if (code != Z_OK) fail("initialisation", code, stream_);
}

GzipCompressor::~GzipCompressor() { deflateEnd(&stream_); }

void GzipCompressor::compress(std::string_view input, std::string& out) {
  if (const int code = deflateReset(&stream_); code != Z_OK) fail("reset", code, stream_);
  // deflateBound() is enough for one deflate(Z_FINISH) call, whatever the input.
  const uLong bound = deflateBound(&stream_, static_cast<uLong>(input.size()));
  if (input.size() >= std::numeric_limits<uInt>::max() ||
      bound >= std::numeric_limits<uInt>::max()) {
    throw std::runtime_error("gzip: input of " + std::to_string(input.size()) +
                             " bytes is too large for one buffer");
  }
  out.resize(bound);
  stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  stream_.avail_in = static_cast<uInt>(input.size());
  stream_.next_out = reinterpret_cast<Bytef*>(out.data());
  stream_.avail_out = static_cast<uInt>(out.size());
  const int code = deflate(&stream_, Z_FINISH);
  if (code != Z_STREAM_END) fail("compression", code, stream_);
  out.resize(out.size() - stream_.avail_out);
}

}  // namespace lc
