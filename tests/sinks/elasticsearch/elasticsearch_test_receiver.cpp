#include "sinks/elasticsearch/elasticsearch_test_receiver.hpp"

#include <simdjson.h>

#include <nlohmann/json.hpp>

#include "support/test_gunzip.hpp"

namespace lc::testing {
namespace {

// Bodies are decoded once, by answer().
LokiTestReceiver::Options bulk_options(LokiTestReceiver::Options options) {
  options.path = "";
  options.decode = [](std::string_view, std::string_view, std::string_view, ReceivedRequest&) {};
  return options;
}

nlohmann::json error_json(const std::string& type, const std::string& reason) {
  return {{"type", type}, {"reason", reason}, {"index_uuid", "aAbBcC"}, {"shard", "0"}};
}

// One item of the answer, as Elasticsearch writes it (built as text: the bench sends millions).
// `filtered`: the request's filter_path keeps only the status and the error's type and reason.
void append_item(std::string& out, const BulkDocument& document, unsigned status,
                 const nlohmann::json* error, bool filtered) {
  if (out.back() != '[') out += ',';
  out += R"({"create":{)";
  if (!filtered) {
    out += R"("_index":)";
    out += nlohmann::json(document.index).dump();
    out += R"(,"_id":)";
    out += nlohmann::json(document.id).dump();
    out += ',';
  }
  out += R"("status":)";
  out += std::to_string(status);
  if (error != nullptr) {
    out += R"(,"error":)";
    out += filtered
               ? nlohmann::json({{"type", (*error)["type"]}, {"reason", (*error)["reason"]}}).dump()
               : error->dump();
  } else if (!filtered) {
    out += R"(,"result":"created")";
  }
  out += "}}";
}

// Elasticsearch's rules for an index name (MetadataCreateIndexService.validateIndexOrAliasName).
bool valid_index_name(const std::string& name) {
  if (name.empty() || name.size() > 255 || name == "." || name == "..") return false;
  if (name[0] == '-' || name[0] == '_' || name[0] == '+') return false;
  for (const char c : name) {
    if ((c >= 'A' && c <= 'Z') ||
        std::string_view("\\/*?\"<>| ,#:").find(c) != std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> decode_bulk_body(std::string_view body,
                                            std::string_view content_encoding,
                                            std::vector<BulkDocument>& out) {
  std::string plain;
  try {
    plain = content_encoding == "gzip" ? test_gunzip(body) : std::string(body);
  } catch (const std::exception& error) {
    return std::string("gzip: ") + error.what();
  }
  if (!content_encoding.empty() && content_encoding != "gzip") {
    return "unsupported Content-Encoding " + std::string(content_encoding);
  }
  if (!plain.empty() && plain.back() != '\n') {
    return std::string("The bulk request must be terminated by a newline [\\n]");
  }
  // simdjson, as fast as the agent: the bench sends millions of documents through here.
  simdjson::dom::parser parser;
  std::size_t start = 0;
  while (start < plain.size()) {
    const std::size_t action_end = plain.find('\n', start);
    const std::size_t source_end = plain.find('\n', action_end + 1);
    if (source_end == std::string::npos) return std::string("an action without its document");
    BulkDocument document;
    simdjson::dom::object action;
    if (parser.parse(plain.data() + start, action_end - start).get_object().get(action) !=
            simdjson::SUCCESS ||
        action.size() != 1) {
      return std::string("malformed action line");
    }
    const auto field = *action.begin();
    document.action = std::string(field.key);
    std::string_view index;
    if (field.value["_index"].get_string().get(index) != simdjson::SUCCESS) {
      return std::string("an action without _index");
    }
    document.index = std::string(index);
    std::string_view id;
    if (field.value["_id"].get_string().get(id) == simdjson::SUCCESS) document.id = std::string(id);
    document.source = plain.substr(action_end + 1, source_end - action_end - 1);
    simdjson::dom::element ignored;
    if (parser.parse(document.source).get(ignored) != simdjson::SUCCESS) {
      return std::string("a document is not JSON");
    }
    out.push_back(std::move(document));
    start = source_end + 1;
  }
  return std::nullopt;
}

ElasticsearchTestReceiver::ElasticsearchTestReceiver(LokiTestReceiver::Options options)
    : http_(bulk_options(std::move(options))) {
  http_.set_policy([this](const ReceivedRequest& request) { return answer(request); });
}

void ElasticsearchTestReceiver::set_request_policy(RequestPolicy policy) {
  std::lock_guard lock(mutex_);
  request_policy_ = std::move(policy);
}

void ElasticsearchTestReceiver::set_item_policy(ItemPolicy policy) {
  std::lock_guard lock(mutex_);
  item_policy_ = std::move(policy);
}

void ElasticsearchTestReceiver::set_answer_loss(
    std::function<bool(const ReceivedRequest&)> policy) {
  std::lock_guard lock(mutex_);
  answer_loss_ = std::move(policy);
}

void ElasticsearchTestReceiver::on_stored(std::function<void(const BulkDocument&)> callback) {
  std::lock_guard lock(mutex_);
  on_stored_ = std::move(callback);
}

std::string ElasticsearchTestReceiver::endpoint() const {
  return http_.url();  // no path: any target is served
}

std::vector<BulkDocument> ElasticsearchTestReceiver::stored() const {
  std::lock_guard lock(mutex_);
  return stored_;
}

void ElasticsearchTestReceiver::keep_documents(bool keep) {
  std::lock_guard lock(mutex_);
  keep_documents_ = keep;
}

std::size_t ElasticsearchTestReceiver::stored_count() const {
  std::lock_guard lock(mutex_);
  return stored_count_;
}

std::size_t ElasticsearchTestReceiver::conflicts() const {
  std::lock_guard lock(mutex_);
  return conflicts_;
}

ReceiverReply ElasticsearchTestReceiver::answer(const ReceivedRequest& request) {
  std::lock_guard lock(mutex_);
  if (request_policy_) {
    if (auto reply = request_policy_(request)) return *reply;
  }
  if (request.target.find("/_bulk") == std::string::npos) {
    return ReceiverReply::answer(404, R"({"error":"no handler found","status":404})");
  }
  std::vector<BulkDocument> documents;
  if (auto problem =
          decode_bulk_body(request.body, request.header("content-encoding"), documents)) {
    return ReceiverReply::answer(
        400, nlohmann::json(
                 {{"error", error_json("illegal_argument_exception", *problem)}, {"status", 400}})
                 .dump());
  }
  // The sink's filter_path (errors, items.*.status, items.*.error.type/reason), as Elasticsearch
  // applies it.
  const bool filtered = request.target.find("filter_path=") != std::string::npos &&
                        request.target.find("items.*.status") != std::string::npos;
  std::string items = "[";
  bool errors = false;
  for (BulkDocument& document : documents) {
    std::optional<BulkItemFault> fault;
    if (item_policy_) fault = item_policy_(document);
    if (!fault && !valid_index_name(document.index)) {
      fault = BulkItemFault{400, "invalid_index_name_exception",
                            "Invalid index name [" + document.index + "]"};
    }
    std::string key = document.index + '\0' + document.id;
    if (fault) {
      const nlohmann::json error = error_json(fault->type, fault->reason);
      append_item(items, document, fault->status, &error, filtered);
      errors = true;
    } else if (document.action == "create" && !document.id.empty() && ids_.contains(key)) {
      ++conflicts_;
      const nlohmann::json error = error_json(
          "version_conflict_engine_exception",
          "[" + document.id + "]: version conflict, document already exists (current version [1])");
      append_item(items, document, 409, &error, filtered);
      errors = true;
    } else {
      append_item(items, document, 201, nullptr, filtered);
      ids_.insert(std::move(key));
      ++stored_count_;
      if (on_stored_) on_stored_(document);
      if (keep_documents_) stored_.push_back(std::move(document));
    }
  }
  items += ']';
  if (answer_loss_ && answer_loss_(request)) return ReceiverReply::reset();
  ReceiverReply reply =
      ReceiverReply::answer(200, std::string(R"({"took":3,"errors":)") +
                                     (errors ? "true" : "false") + R"(,"items":)" + items + "}");
  reply.content_type = "application/json";
  return reply;
}

}  // namespace lc::testing
