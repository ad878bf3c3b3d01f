#include "sinks/elasticsearch/elasticsearch_bulk_encoder.hpp"

#include <stdexcept>

#include "core/json_string_writer.hpp"
#include "core/timestamp.hpp"
#include "sinks/elasticsearch/elasticsearch_document_id.hpp"

namespace lc {
namespace {

using namespace std::string_view_literals;

ElasticsearchIndexName parse_name(std::string_view text, std::string_view key) {
  ElasticsearchIndexName name;
  if (auto problem = ElasticsearchIndexName::parse(text, name)) {
    throw std::invalid_argument(std::string("elasticsearch ") + std::string(key) + ": " + *problem);
  }
  return name;
}

}  // namespace

ElasticsearchBulkEncoder::ElasticsearchBulkEncoder(const ElasticsearchSinkOptions& options,
                                                   std::string host)
    : mode_(options.mode),
      gzip_(options.compression == ElasticsearchSinkOptions::Compression::kGzip),
      host_(std::move(host)),
      index_(parse_name(options.index, "index")),
      data_stream_type_(options.data_stream_type),
      dataset_(parse_name(options.data_stream_dataset, "data_stream.dataset")),
      namespace_(parse_name(options.data_stream_namespace, "data_stream.namespace")),
      ndjson_(false),
      // The fastest level, as the other HTTP sinks: CPU per record matters more than bytes.
      gzip_compressor_(GzipCompressor::kFastest),
      names_per_record_(index_.per_record() || dataset_.per_record() || namespace_.per_record()) {}

HttpSinkRequestBody ElasticsearchBulkEncoder::encode(std::span<const LogRecord> records) {
  plain_.clear();
  for (const LogRecord& record : records) {
    append_action(record);
    append_document(record);
  }
  HttpSinkRequestBody body{plain_, "application/x-ndjson", ""};
  if (gzip_) {
    gzip_compressor_.compress(plain_, compressed_);
    body.data = compressed_;
    body.content_encoding = "gzip";
  }
  return body;
}

void ElasticsearchBulkEncoder::append_action(const LogRecord& record) {
  render_names(record);
  // Index names hold no character JSON escapes (ElasticsearchIndexName sanitizes values).
  plain_ += R"({"create":{"_index":")"sv;
  plain_ += index_text_;
  plain_ += R"(","_id":")"sv;
  append_elasticsearch_document_id(plain_, record);
  plain_ += "\"}}\n"sv;
}

void ElasticsearchBulkEncoder::render_names(const LogRecord& record) {
  constexpr std::int64_t kHourNs = 3'600'000'000'000;
  const void* source = record.container ? static_cast<const void*>(record.container.get())
                                        : static_cast<const void*>(record.file_source.get());
  const std::int64_t hour = record.event_or_source_time() / kHourNs;
  if (!names_per_record_ && source != nullptr && source == names_source_.get() &&
      hour == names_hour_) {
    return;
  }
  if (record.container) {
    names_source_ = record.container;
  } else {
    names_source_ = record.file_source;
  }
  names_hour_ = hour;
  const RecordContext context{record, host_};
  index_text_.clear();
  if (mode_ == ElasticsearchSinkOptions::Mode::kIndex) {
    index_.render(context, index_text_);
    return;
  }
  dataset_text_.clear();
  namespace_text_.clear();
  dataset_.render(context, dataset_text_);
  namespace_.render(context, namespace_text_);
  index_text_ = data_stream_type_ + '-' + dataset_text_ + '-' + namespace_text_;
}

void ElasticsearchBulkEncoder::append_document(const LogRecord& record) {
  // The file store's line, its closing "}\n" then replaced by our fields (the order of keys
  // means nothing to Elasticsearch, and no copy is made).
  ndjson_.append(plain_, record);
  plain_.resize(plain_.size() - 2);
  plain_ += R"(,"@timestamp":")"sv;
  append_rfc3339_nano(plain_, record.event_or_source_time());
  plain_ += '"';
  if (mode_ == ElasticsearchSinkOptions::Mode::kDataStream) {
    plain_ += R"(,"data_stream":{"type":)"sv;
    append_json_string(plain_, data_stream_type_);
    plain_ += R"(,"dataset":)"sv;
    append_json_string(plain_, dataset_text_);
    plain_ += R"(,"namespace":)"sv;
    append_json_string(plain_, namespace_text_);
    plain_ += '}';
  }
  plain_ += "}\n"sv;
}

}  // namespace lc
