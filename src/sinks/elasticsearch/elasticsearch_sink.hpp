#pragma once

#include <array>
#include <span>
#include <string>
#include <vector>

#include "metrics/metrics_registry.hpp"
#include "sinks/common/http_export_sink.hpp"
#include "sinks/elasticsearch/elasticsearch_bulk_encoder.hpp"
#include "sinks/elasticsearch/elasticsearch_bulk_response.hpp"
#include "sinks/elasticsearch/elasticsearch_sink_options.hpp"

namespace lc {

// Indexes batches into Elasticsearch or OpenSearch through _bulk (docs/configuration.md, sinks
// of type elasticsearch), endpoints in turn. Every document is a `create` with the record's
// stable _id, so a batch sent again (a lost answer, a restart) indexes nothing twice: a 409 for
// that id counts as delivered. The bulk answer's items decide record by record: created or
// already indexed: delivered; 429/5xx: sent again alone; mapping or parsing errors: dead letters
// with the item's error; 401/403, an unknown pipeline or a closed index: the sink holds. A
// whole-request 413, or 400 for a document Elasticsearch could not parse, splits the batch; 404
// holds at once (a wrong endpoint); other answers as HttpExportSink says.
class ElasticsearchSink : public HttpExportSink {
 public:
  // Throws std::invalid_argument (endpoints, templates) or std::runtime_error (TLS files).
  ElasticsearchSink(std::string name, const ElasticsearchSinkOptions& options,
                    MetricsRegistry& metrics);

 protected:
  HttpSinkRequestBody encode(std::span<const LogRecord> records) override;
  Verdict judge(const HttpSinkResponse& response, std::size_t records) override;
  std::string hold_hint(SinkHoldCause cause) const override;

 private:
  Verdict judge_items(const HttpSinkResponse& response, std::size_t records);

  ElasticsearchBulkEncoder encoder_;
  std::vector<BulkItemResult> items_;        // the last answer's, reused
  std::vector<BulkItemClass> item_classes_;  // what each of them means
  // log_capturer_elasticsearch_bulk_items_total{result}, by BulkItemClass.
  std::array<Counter*, 6> items_by_class_{};
};

}  // namespace lc
