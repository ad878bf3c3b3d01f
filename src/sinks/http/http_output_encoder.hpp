#pragma once

#include <span>
#include <string>
#include <string_view>

#include "core/log_record.hpp"
#include "sinks/common/gzip_compressor.hpp"
#include "sinks/common/http_sink_client.hpp"
#include "sinks/common/zstd_compressor.hpp"
#include "sinks/file_store/ndjson_record_encoder.hpp"
#include "sinks/http/http_output_options.hpp"

namespace lc {

// Turns records into the body of one request of the HTTP sink: NDJSON (the file store's lines),
// one JSON array of those objects, or the messages as text lines; then compressed as configured.
// The body's views stay valid until the next encode().
class HttpOutputEncoder {
 public:
  explicit HttpOutputEncoder(const HttpOutputOptions& options);

  HttpSinkRequestBody encode(std::span<const LogRecord> records);

 private:
  void append_records(std::span<const LogRecord> records);

  const HttpOutputOptions::Encoding encoding_;
  const HttpOutputOptions::Compression compression_;
  NdjsonRecordEncoder ndjson_;
  GzipCompressor gzip_;
  ZstdCompressor zstd_;
  std::string plain_;
  std::string compressed_;
};

}  // namespace lc
