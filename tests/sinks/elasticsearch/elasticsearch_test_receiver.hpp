#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sinks/loki/loki_test_receiver.hpp"

namespace lc::testing {

// One action and document of a _bulk body, as Elasticsearch reads them.
struct BulkDocument {
  std::string action;  // "create", "index", ...
  std::string index;
  std::string id;
  std::string source;  // the document's JSON line
};

// Decodes a _bulk body (NDJSON pairs, after gunzip for Content-Encoding: gzip) into `out`;
// returns a problem, as Elasticsearch's 400 would, when it is not one.
std::optional<std::string> decode_bulk_body(std::string_view body,
                                            std::string_view content_encoding,
                                            std::vector<BulkDocument>& out);

// What an item is answered instead of being indexed (a fault a test injects).
struct BulkItemFault {
  unsigned status = 429;
  std::string type = "es_rejected_execution_exception";
  std::string reason = "rejected execution of coordinating operation";
};

// A stand-in for Elasticsearch's _bulk API that keeps an index as Elasticsearch does: `create`
// of an id the index holds answers 409 version_conflict_engine_exception, anything else is
// stored and answered 201, item by item, in a real bulk answer ({"took", "errors", "items"});
// an index name Elasticsearch would refuse (upper case, a leading '-', '_' or '+', a forbidden
// character, over 255 bytes) is answered 400 invalid_index_name_exception.
// Tests inject whole-request answers (a 413, a 503, garbage) and item faults (a 429, a mapping
// error). Listens on 127.0.0.1 (TLS as LokiTestReceiver), on its own thread.
class ElasticsearchTestReceiver {
 public:
  // Called per request before the index sees it: an answer for the whole request, or nothing.
  using RequestPolicy = std::function<std::optional<ReceiverReply>(const ReceivedRequest&)>;
  // Called per item, in order: a fault instead of indexing it, or nothing.
  using ItemPolicy = std::function<std::optional<BulkItemFault>(const BulkDocument&)>;

  explicit ElasticsearchTestReceiver(LokiTestReceiver::Options options = {});

  void set_request_policy(RequestPolicy policy);
  void set_item_policy(ItemPolicy policy);
  // Called per request after its documents were indexed: true loses the answer (the connection
  // is reset), as a proxy or a network failure can after Elasticsearch did the work.
  void set_answer_loss(std::function<bool(const ReceivedRequest&)> policy);
  // Called on the receiver's thread for each document stored (the tool writes them out).
  void on_stored(std::function<void(const BulkDocument&)> callback);

  // "http://127.0.0.1:<port>" (https with TLS).
  std::string endpoint() const;
  std::uint16_t port() const { return http_.port(); }
  // The documents the index holds, in the order they were stored (unless not kept).
  std::vector<BulkDocument> stored() const;
  // Whether stored() keeps the documents (a process receiving millions need not).
  void keep_documents(bool keep);
  std::size_t stored_count() const;
  // Every request as received (bodies as sent), with the status it was answered.
  std::vector<ReceivedRequest> requests() const { return http_.requests(); }
  // Items answered 409 because their id was indexed before.
  std::size_t conflicts() const;

 private:
  ReceiverReply answer(const ReceivedRequest& request);

  mutable std::mutex mutex_;
  RequestPolicy request_policy_;
  ItemPolicy item_policy_;
  std::function<bool(const ReceivedRequest&)> answer_loss_;
  std::function<void(const BulkDocument&)> on_stored_;
  std::unordered_set<std::string> ids_;  // index '\0' _id
  std::vector<BulkDocument> stored_;
  bool keep_documents_ = true;
  std::size_t stored_count_ = 0;
  std::size_t conflicts_ = 0;
  LokiTestReceiver http_;  // last: its thread stops before the state above goes
};

}  // namespace lc::testing
