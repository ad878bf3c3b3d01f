#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/log_record.hpp"
#include "sinks/common/gzip_compressor.hpp"
#include "sinks/common/http_sink_client.hpp"
#include "sinks/elasticsearch/elasticsearch_index_name.hpp"
#include "sinks/elasticsearch/elasticsearch_sink_options.hpp"
#include "sinks/file_store/ndjson_record_encoder.hpp"

namespace lc {

// Turns records into one _bulk request body: per record a `create` action with its index and
// stable _id (elasticsearch_document_id), then the document: the file store's fields
// (docs/file-store.md) but its file positions and ranks, "@timestamp" (the event time when known, else the source time), and
// "data_stream" in data stream mode. gzip'd as configured. The body's views stay valid until
// the next encode().
class ElasticsearchBulkEncoder {
 public:
  // Throws std::invalid_argument on a template the options' reader would have refused.
  ElasticsearchBulkEncoder(const ElasticsearchSinkOptions& options, std::string host);

  HttpSinkRequestBody encode(std::span<const LogRecord> records);

 private:
  void append_action(const LogRecord& record);
  void append_document(const LogRecord& record);
  // Renders the index (or the data stream's name and parts) of `record` into the cache, unless
  // it holds them for the record's source and hour already (records come in runs per source).
  void render_names(const LogRecord& record);

  const ElasticsearchSinkOptions::Mode mode_;
  const bool gzip_;
  const std::string host_;
  ElasticsearchIndexName index_;
  // Data stream mode: the name's parts, the name is <type>-<dataset>-<namespace>.
  std::string data_stream_type_;
  ElasticsearchIndexName dataset_;
  ElasticsearchIndexName namespace_;
  NdjsonRecordEncoder ndjson_;
  GzipCompressor gzip_compressor_;
  std::string plain_;
  std::string compressed_;
  // The last record's names, and what they were rendered for.
  const bool names_per_record_;
  std::shared_ptr<const void> names_source_;  // held: its address cannot be reused meanwhile
  std::int64_t names_hour_ = -1;
  std::string index_text_;  // the index, or the data stream's name
  std::string dataset_text_;
  std::string namespace_text_;
};

}  // namespace lc
