#include "sinks/http/http_output_encoder.hpp"

namespace lc {

HttpOutputEncoder::HttpOutputEncoder(const HttpOutputOptions& options)
    : encoding_(options.encoding),
      compression_(options.compression),
      // The fastest level, as the OTLP sink: CPU per record matters more than a few percent.
      gzip_(GzipCompressor::kFastest) {}

HttpSinkRequestBody HttpOutputEncoder::encode(std::span<const LogRecord> records) {
  append_records(records);
  HttpSinkRequestBody body{plain_, "application/x-ndjson", ""};
  if (encoding_ == HttpOutputOptions::Encoding::kJsonArray) body.content_type = "application/json";
  if (encoding_ == HttpOutputOptions::Encoding::kText) body.content_type = "text/plain";
  if (compression_ == HttpOutputOptions::Compression::kGzip) {
    gzip_.compress(plain_, compressed_);
    body.data = compressed_;
    body.content_encoding = "gzip";
  } else if (compression_ == HttpOutputOptions::Compression::kZstd) {
    zstd_.compress(plain_, compressed_);
    body.data = compressed_;
    body.content_encoding = "zstd";
  }
  return body;
}

void HttpOutputEncoder::append_records(std::span<const LogRecord> records) {
  plain_.clear();
  if (encoding_ == HttpOutputOptions::Encoding::kText) {
    for (const LogRecord& record : records) {
      plain_ += record.message;
      plain_ += '\n';
    }
    return;
  }
  const bool array = encoding_ == HttpOutputOptions::Encoding::kJsonArray;
  if (array) plain_ += '[';
  for (const LogRecord& record : records) {
    if (array && plain_.size() > 1) plain_ += ',';
    ndjson_.append(plain_, record);
    if (array) plain_.pop_back();  // the line's '\n'
  }
  if (array) plain_ += ']';
}

}  // namespace lc
