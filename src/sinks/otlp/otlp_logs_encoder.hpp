#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/log_record.hpp"
#include "sinks/common/gzip_compressor.hpp"
#include "sinks/otlp/logs_service.pb.h"
#include "sinks/otlp/otlp_resource.hpp"
#include "sinks/otlp/otlp_sink_options.hpp"

namespace lc {

// The body of one OTLP/HTTP logs export; the views stay valid until the next encode().
struct OtlpExportBody {
  std::string_view data;
  std::string_view content_type;      // application/x-protobuf or application/json
  std::string_view content_encoding;  // empty, or "gzip"
  std::size_t resources = 0;
};

// Turns a batch of records into an ExportLogsServiceRequest (docs/configuration.md, sinks of
// type otlp): one ResourceLogs per container or file, records in batch order within it; the
// message is the body (a string), the structured fields are attributes (nested maps and lists
// kept), log.iostream or log.file.path and the record's flags are attributes too, the severity
// field sets severity_text and severity_number, the event time (else the source time) is
// time_unix_nano and the source time observed_time_unix_nano. Text is repaired to UTF-8
// (protobuf strings must be). The message objects are reused from batch to batch.
class OtlpLogsEncoder {
 public:
  // Throws std::invalid_argument on a malformed template (already refused by the config reader).
  OtlpLogsEncoder(const OtlpSinkOptions& options, std::string host);

  OtlpExportBody encode(std::span<const LogRecord> records);
  // The request encode() built last, for tests.
  const otlp::ExportLogsServiceRequest& request() const { return request_; }

 private:
  void build(std::span<const LogRecord> records);
  otlp::ScopeLogs& scope_of(const LogRecord& record);
  void add_record(const LogRecord& record, otlp::LogRecord& out);

  const OtlpSinkOptions::Encoding encoding_;
  const bool gzip_;
  const std::string severity_field_;
  const std::string version_;
  OtlpResourceRenderer resources_;
  otlp::ExportLogsServiceRequest request_;
  std::unordered_map<const void*, otlp::ScopeLogs*> scopes_;  // this batch's, by source
  std::string utf8_scratch_;
  std::string serialized_;
  std::string compressed_;
  GzipCompressor compressor_;
};

}  // namespace lc
