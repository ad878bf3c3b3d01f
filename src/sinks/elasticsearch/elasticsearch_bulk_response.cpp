#include "sinks/elasticsearch/elasticsearch_bulk_response.hpp"

#include <fmt/format.h>
#include <simdjson.h>

namespace lc {
namespace {

// At most this much of an item's error reason goes into a dead letter or a log line.
constexpr std::size_t kMaxReasonBytes = 512;

std::string_view string_or_empty(simdjson::dom::element element, std::string_view key) {
  std::string_view value;
  if (element[key].get_string().get(value) != simdjson::SUCCESS) return {};
  return value;
}

std::optional<std::string> read_item(simdjson::dom::element item, BulkItemResult& out) {
  simdjson::dom::object wrapper;
  if (item.get_object().get(wrapper) != simdjson::SUCCESS || wrapper.size() != 1) {
    return std::string("an item is not {\"<action>\": {...}}");
  }
  const simdjson::dom::element result = wrapper.begin().value();
  std::uint64_t status = 0;
  if (result["status"].get_uint64().get(status) != simdjson::SUCCESS || status < 100 ||
      status > 599) {
    return std::string("an item has no HTTP status");
  }
  out.status = static_cast<unsigned>(status);
  simdjson::dom::element error;
  if (result["error"].get(error) == simdjson::SUCCESS) {
    out.error_type = std::string(string_or_empty(error, "type"));
    out.error_reason = std::string(string_or_empty(error, "reason").substr(0, kMaxReasonBytes));
    if (out.error_type.empty() && out.error_reason.empty()) out.error_type = "error";
  }
  return std::nullopt;
}

}  // namespace

BulkItemClass classify_bulk_item(const BulkItemResult& item) {
  const unsigned status = item.status;
  if (status >= 200 && status < 300) return BulkItemClass::kCreated;
  if (status == 400 && (item.error_type == "index_closed_exception" ||
                        (item.error_type == "illegal_argument_exception" &&
                         item.error_reason.find("pipeline") != std::string::npos))) {
    return BulkItemClass::kMisconfigured;
  }
  if (status == 409) return BulkItemClass::kAlreadyIndexed;
  if (status == 401 || status == 403) return BulkItemClass::kUnauthorized;
  if (status == 404 || status == 408 || status == 429 || status >= 500) {
    return BulkItemClass::kRetry;
  }
  return BulkItemClass::kRefused;
}

std::optional<std::string> parse_bulk_response(std::string_view body,
                                               std::vector<BulkItemResult>& items) {
  items.clear();
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return std::string("the answer is not JSON");
  }
  simdjson::dom::array list;
  if (root["items"].get_array().get(list) != simdjson::SUCCESS) {
    return std::string("the answer has no \"items\" list");
  }
  for (const simdjson::dom::element item : list) {
    BulkItemResult result;
    if (auto problem = read_item(item, result)) return problem;
    items.push_back(std::move(result));
  }
  return std::nullopt;
}

bool bulk_request_refused_for_its_documents(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) return false;
  simdjson::dom::element error;
  if (root["error"].get(error) != simdjson::SUCCESS) return false;
  const std::string_view type = string_or_empty(error, "type");
  return type == "x_content_parse_exception" || type == "json_parse_exception" ||
         type == "mapper_parsing_exception" || type == "document_parsing_exception" ||
         type == "not_x_content_exception";
}

std::string describe_bulk_item(const BulkItemResult& item) {
  if (item.error_type.empty()) return fmt::format("HTTP {}", item.status);
  if (item.error_reason.empty()) return fmt::format("{} (HTTP {})", item.error_type, item.status);
  return fmt::format("{}: {} (HTTP {})", item.error_type, item.error_reason, item.status);
}

}  // namespace lc
