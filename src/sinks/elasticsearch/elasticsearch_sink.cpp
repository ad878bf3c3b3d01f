#include "sinks/elasticsearch/elasticsearch_sink.hpp"

#include <fmt/format.h>

#include "core/machine_hostname.hpp"
#include "sinks/common/http_authorization.hpp"
#include "sinks/common/http_response_text.hpp"

namespace lc {
namespace {

constexpr std::array<std::string_view, 6> kItemClassNames{
    "created", "already_indexed", "retried", "unauthorized", "refused", "misconfigured"};

// The bulk answer carries only what decides each record (a full one repeats every _index and
// _id, several times the size of what is needed).
constexpr std::string_view kBulkQuery =
    "filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason";

// Throws std::invalid_argument on a malformed endpoint.
std::vector<HttpSinkClientSettings> client_settings(const ElasticsearchSinkOptions& options) {
  std::vector<std::pair<std::string, std::string>> headers = options.headers;
  if (!options.api_key.empty()) {
    headers.emplace_back("Authorization", "ApiKey " + options.api_key);
  } else {
    add_http_authorization(headers, options.username, options.password, options.bearer_token);
  }
  std::vector<HttpSinkClientSettings> endpoints;
  for (const std::string& endpoint : options.endpoints) {
    HttpSinkClientSettings settings;
    settings.backend = "Elasticsearch";
    settings.action = "bulk request";
    if (auto problem = parse_elasticsearch_bulk_url(endpoint, settings.url)) {
      throw std::invalid_argument("elasticsearch endpoints: " + *problem);
    }
    settings.url.target += '?';
    settings.url.target += kBulkQuery;
    if (!options.pipeline.empty()) {
      settings.url.target += "&pipeline=";
      percent_encode_value(options.pipeline, settings.url.target);
    }
    // A bulk answer holds an item per document (a replay's 409s carry their reason): room for
    // the largest batches.
    settings.max_response_bytes = 64ull << 20;
    settings.tls = options.tls;
    settings.connect_timeout = options.connect_timeout;
    settings.request_timeout = options.request_timeout;
    settings.headers = headers;
    endpoints.push_back(std::move(settings));
  }
  return endpoints;
}

}  // namespace

ElasticsearchSink::ElasticsearchSink(std::string name, const ElasticsearchSinkOptions& options,
                                     MetricsRegistry& metrics)
    : HttpExportSink(std::move(name), {"elasticsearch", "Elasticsearch"}, client_settings(options),
                     metrics),
      encoder_(options, machine_hostname()) {
  for (std::size_t i = 0; i < kItemClassNames.size(); ++i) {
    items_by_class_[i] = &HttpExportSink::metrics().scope().counter(
        "log_capturer_elasticsearch_bulk_items_total",
        "Bulk items by what Elasticsearch answered: created, already_indexed (409 to a create "
        "with the record's own id: indexed before), retried (429/5xx/404: sent again), "
        "unauthorized (401/403: the sink holds), refused (mapping or parsing errors: dead "
        "letters), misconfigured (an unknown pipeline, a closed index: the sink holds).",
        {{"sink", this->name()}, {"result", std::string(kItemClassNames[i])}});
  }
}

HttpSinkRequestBody ElasticsearchSink::encode(std::span<const LogRecord> records) {
  return encoder_.encode(records);
}

HttpExportSink::Verdict ElasticsearchSink::judge(const HttpSinkResponse& response,
                                                 std::size_t records) {
  const unsigned status = response.status;
  Verdict verdict;
  // A whole-request 400 refuses the records only when Elasticsearch could not parse a document
  // (with a pipeline set, one bad document fails the whole bulk): split until it stands alone.
  verdict.answer_class = classify_http_response(
      status, status == 400 && bulk_request_refused_for_its_documents(response.body));
  if (verdict.answer_class == HttpResponseClass::kDelivered) {
    return judge_items(response, records);
  }
  verdict.holds_at_once = status == 404;
  verdict.detail = describe_http_status(status, response.body);
  return verdict;
}

// A 2xx: the items say what became of each record. An answer that cannot be read record by
// record takes none of them (they are sent again; their ids make that harmless).
HttpExportSink::Verdict ElasticsearchSink::judge_items(const HttpSinkResponse& response,
                                                       std::size_t records) {
  Verdict verdict;
  auto problem = parse_bulk_response(response.body, items_);
  if (!problem && items_.size() != records) {
    problem = fmt::format("the answer has {} items for {} documents", items_.size(), records);
  }
  if (problem) {
    verdict.answer_class = HttpResponseClass::kUnexpected;
    verdict.detail = fmt::format("HTTP {} to a bulk request, but {}: {}", response.status, *problem,
                                 http_response_excerpt(response.body));
    return verdict;
  }
  bool all_delivered = true;
  const BulkItemResult* unauthorized = nullptr;
  const BulkItemResult* misconfigured = nullptr;
  item_classes_.clear();
  for (const BulkItemResult& item : items_) {
    const BulkItemClass item_class = classify_bulk_item(item);
    item_classes_.push_back(item_class);
    items_by_class_[static_cast<std::size_t>(item_class)]->inc();
    all_delivered &=
        item_class == BulkItemClass::kCreated || item_class == BulkItemClass::kAlreadyIndexed;
    if (item_class == BulkItemClass::kUnauthorized && unauthorized == nullptr) {
      unauthorized = &item;
    }
    if (item_class == BulkItemClass::kMisconfigured && misconfigured == nullptr) {
      misconfigured = &item;
    }
  }
  // Credentials that may not write some index, or a pipeline that does not exist: the sink
  // holds; the batch is sent whole again later, its created documents answered 409 then.
  if (unauthorized != nullptr) {
    verdict.answer_class = HttpResponseClass::kUnauthorized;
    verdict.detail = "a bulk item: " + describe_bulk_item(*unauthorized);
    return verdict;
  }
  if (misconfigured != nullptr) {
    verdict.answer_class = HttpResponseClass::kUnexpected;
    verdict.holds_at_once = true;
    verdict.detail = "a bulk item: " + describe_bulk_item(*misconfigured);
    return verdict;
  }
  if (all_delivered) return verdict;
  // Only created, already indexed, retried and refused items are left.
  verdict.records.resize(records);
  for (std::size_t i = 0; i < records; ++i) {
    if (item_classes_[i] == BulkItemClass::kRetry) {
      verdict.records[i] = {RecordAnswer::Kind::kRetry, describe_bulk_item(items_[i])};
    } else if (item_classes_[i] == BulkItemClass::kRefused) {
      verdict.records[i] = {RecordAnswer::Kind::kRefused, describe_bulk_item(items_[i])};
    }
  }
  return verdict;
}

std::string ElasticsearchSink::hold_hint(SinkHoldCause cause) const {
  if (cause == SinkHoldCause::kAuth) {
    return "check the credentials (username/password, api_key, bearer_token or headers) and "
           "that they may create documents in the index";
  }
  return fmt::format(
      "check the endpoints (the cluster's HTTP address, with a proxy's path prefix if any), the "
      "pipeline and any proxy in between; requests went to {}",
      url().describe());
}

}  // namespace lc
