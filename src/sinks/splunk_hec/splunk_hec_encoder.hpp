#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/log_record.hpp"
#include "core/record_template.hpp"
#include "sinks/common/gzip_compressor.hpp"
#include "sinks/common/http_sink_client.hpp"
#include "sinks/file_store/ndjson_record_encoder.hpp"
#include "sinks/splunk_hec/splunk_hec_sink_options.hpp"

namespace lc {

// Turns records into one HEC request body. Event API: a JSON event a line, {"time": seconds
// with nanoseconds (the event time when known, else the source time), "host", "source",
// "sourcetype", "index" (each left out when its template renders empty), "event" (the message,
// or the record as the file store writes it but its position and rank; an empty message too,
// since HEC refuses blank events), "fields" (the configured indexed fields)}. Raw
// API: the messages, a line each (their metadata goes into the query: query_of()). gzip'd as
// configured; the body's views stay valid until the next encode().
class SplunkHecEncoder {
 public:
  // Throws std::invalid_argument on a template the options' reader would have refused.
  SplunkHecEncoder(const SplunkHecSinkOptions& options, std::string host);

  HttpSinkRequestBody encode(std::span<const LogRecord> records);
  // The raw API's query for `record`: "host=..&source=..&sourcetype=..&index=.." (the rendered
  // values percent-encoded; empty ones left out).
  std::string query_of(const LogRecord& record) const;

 private:
  void append_event(const LogRecord& record);

  struct Metadata {
    const char* key;
    RecordTemplate value;
  };
  const SplunkHecSinkOptions::Api api_;
  const SplunkHecSinkOptions::EventFormat event_format_;
  const bool gzip_;
  const std::string host_;
  std::vector<Metadata> metadata_;  // host, source, sourcetype, index
  std::vector<std::pair<std::string, RecordTemplate>> fields_;
  NdjsonRecordEncoder ndjson_;
  GzipCompressor gzip_compressor_;
  std::string plain_;
  std::string compressed_;
  std::string value_;  // one rendering
};

}  // namespace lc
