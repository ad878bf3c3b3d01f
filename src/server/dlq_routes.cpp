#include "server/dlq_routes.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/hex_digit.hpp"
#include "core/timestamp.hpp"

namespace lc::server {
namespace {

constexpr std::size_t kDefaultLimit = 100;
constexpr std::size_t kMaxLimit = 1000;

// A request the client got wrong: answered 400 with the message.
struct BadRequest : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] != '%') {
      out += text[i];
    } else {
      const int high = i + 2 < text.size() ? hex_digit_value(text[i + 1]) : -1;
      const int low = high >= 0 ? hex_digit_value(text[i + 2]) : -1;
      if (low < 0) throw BadRequest("malformed percent-encoding in the query");
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
  }
  return out;
}

// The query's parameters; each of `allowed` at most once, no other.
std::map<std::string, std::string> parse_query(std::string_view query,
                                               std::initializer_list<std::string_view> allowed) {
  std::map<std::string, std::string> parameters;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const std::size_t equals = pair.find('=');
    std::string name = percent_decode(pair.substr(0, equals));
    std::string value =
        equals == std::string_view::npos ? std::string() : percent_decode(pair.substr(equals + 1));
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      throw BadRequest("unknown parameter \"" + name + "\"");
    }
    if (!parameters.emplace(name, std::move(value)).second) {
      throw BadRequest("parameter \"" + name + "\" given twice");
    }
  }
  return parameters;
}

std::uint64_t integer_parameter(const std::map<std::string, std::string>& parameters,
                                const std::string& name, std::uint64_t fallback, std::uint64_t min,
                                std::uint64_t max) {
  const auto it = parameters.find(name);
  if (it == parameters.end()) return fallback;
  const std::string& text = it->second;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    throw BadRequest(name + " must be an integer from " + std::to_string(min) + " to " +
                     std::to_string(max) + ", not \"" + text + "\"");
  }
  return value;
}

std::size_t limit_parameter(const std::map<std::string, std::string>& parameters) {
  return static_cast<std::size_t>(
      integer_parameter(parameters, "limit", kDefaultLimit, 1, kMaxLimit));
}

HttpResponse json_response(unsigned status, const nlohmann::json& body) {
  // Messages and metadata may hold invalid UTF-8: replace it rather than fail.
  return HttpResponse{status,
                      "application/json",
                      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                      {}};
}

nlohmann::json edge_json(const std::optional<DeadLetterStats::Edge>& edge) {
  if (!edge) return nullptr;
  return {{"id", edge->id}, {"added", format_rfc3339_nano(edge->added)}};
}

nlohmann::json entry_json(const DeadLetterEntry& entry) {
  const LogRecord& record = entry.record;
  return {
      {"id", entry.id},
      {"added", format_rfc3339_nano(entry.added)},
      {"sink", entry.sink},
      {"reason", {{"kind", entry.reason.kind}, {"message", entry.reason.message}}},
      {"record",
       {{"time", format_rfc3339_nano(record.time)},
        {"stream", to_string(record.stream)},
        {"container_id", record.container ? record.container->id : std::string()},
        {"container_name", record.container ? record.container->name : std::string()},
        {"message", record.message},
        {"truncated", record.truncated},
        {"invalid", record.invalid}}},
  };
}

HttpResponse stats(const DeadLetterStore& store) {
  const DeadLetterStats stats = store.stats();
  return json_response(200, {{"entries", stats.entries},
                             {"bytes", stats.bytes},
                             {"max_bytes", stats.max_bytes},
                             {"oldest", edge_json(stats.oldest)},
                             {"newest", edge_json(stats.newest)},
                             {"by_sink", stats.entries_by_sink}});
}

HttpResponse entries(const DeadLetterStore& store, const HttpRequest& request) {
  const auto parameters = parse_query(request.query, {"limit", "after"});
  const std::size_t limit = limit_parameter(parameters);
  const std::uint64_t after =
      integer_parameter(parameters, "after", 0, 0, std::numeric_limits<std::uint64_t>::max());
  nlohmann::json list = nlohmann::json::array();
  std::uint64_t last = after;
  for (const DeadLetterEntry& entry : store.list(after, limit)) {
    list.push_back(entry_json(entry));
    last = entry.id;
  }
  // Page on with after=next_after.
  return json_response(200, {{"entries", std::move(list)}, {"next_after", last}});
}

HttpResponse reprocess(DeadLetterStore& store, const DeadLetterRequeue& requeue,
                       const HttpRequest& request) {
  const auto parameters = parse_query(request.query, {"limit", "sink"});
  const std::size_t limit = limit_parameter(parameters);
  std::optional<std::string_view> sink;
  if (const auto it = parameters.find("sink"); it != parameters.end()) {
    if (it->second.empty()) throw BadRequest("sink must not be empty");
    sink = it->second;
  }
  const std::vector<DeadLetterEntry> taken = store.take_for_reprocess(limit, sink);
  nlohmann::json body = {{"taken", taken.size()}, {"requeued", 0}, {"confirmed", 0}};
  if (taken.empty()) return json_response(200, body);
  std::vector<std::uint64_t> ids;
  ids.reserve(taken.size());
  for (const DeadLetterEntry& entry : taken) ids.push_back(entry.id);
  if (!requeue(taken)) {
    body["error"] = "the pipeline did not accept the records; they stay in the dead-letter store";
    return json_response(503, body);
  }
  body["requeued"] = taken.size();
  const DeadLetterConfirmResult confirmed = store.confirm(ids);
  body["confirmed"] = confirmed.removed;
  if (confirmed.error) {
    body["error"] = "re-queued, but removing them from the dead-letter store failed (" +
                    confirmed.error.message() + "): they may be reprocessed again";
    return json_response(500, body);
  }
  return json_response(200, body);
}

// Turns a BadRequest into a 400; anything else is the router's 500.
template <typename Handler>
HttpHandler answering_bad_requests(Handler handler) {
  return [handler = std::move(handler)](const HttpRequest& request) {
    try {
      return handler(request);
    } catch (const BadRequest& e) {
      return json_error_response(400, e.what());
    }
  };
}

}  // namespace

void add_dead_letter_routes(HttpRouter& router, DeadLetterStore& store, DeadLetterRequeue requeue) {
  for (const std::string prefix : {"", "/api/v1"}) {
    const auto path = [&](const char* full) { return prefix + (full + std::strlen("/api/v1")); };
    router.add("GET", path(kDeadLetterStatsPath),
               answering_bad_requests([&store](const HttpRequest&) { return stats(store); }));
    router.add(
        "GET", path(kDeadLetterEntriesPath),
        answering_bad_requests([&store](const HttpRequest& r) { return entries(store, r); }));
    router.add("POST", path(kDeadLetterReprocessPath),
               answering_bad_requests([&store, requeue](const HttpRequest& r) {
                 return reprocess(store, requeue, r);
               }));
  }
}

}  // namespace lc::server
