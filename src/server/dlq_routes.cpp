#include "server/dlq_routes.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
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
constexpr std::uint64_t kDefaultMaxBytes = 1ull << 20;
constexpr std::uint64_t kMaxMaxBytes = 16ull << 20;

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

std::uint64_t max_bytes_parameter(const std::map<std::string, std::string>& parameters) {
  return integer_parameter(parameters, "max_bytes", kDefaultMaxBytes, 1, kMaxMaxBytes);
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
  nlohmann::json json = {
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
  if (record.event_time != 0) json["record"]["event_time"] = format_rfc3339_nano(record.event_time);
  return json;
}

nlohmann::json replay_json(const DeadLetterReplayProgress& replay) {
  return {{"id", replay.id},
          {"started", format_rfc3339_nano(replay.started)},
          {"taken", replay.taken},
          {"queued", replay.queued},
          {"not_queued", replay.not_queued},
          {"delivered", replay.delivered},
          {"dead_lettered_again", replay.dead_lettered_again},
          {"not_confirmed", replay.not_confirmed},
          {"pending", replay.pending},
          {"skipped_unconfigured_sinks", replay.skipped_unconfigured_sinks}};
}

HttpResponse stats(const DeadLetterStore& store, const DeadLetterReplays& replays) {
  const DeadLetterStats stats = store.stats();
  nlohmann::json recent = nlohmann::json::array();
  for (const DeadLetterReplayProgress& replay : replays.recent()) {
    recent.push_back(replay_json(replay));
  }
  return json_response(200, {{"entries", stats.entries},
                             {"in_flight", stats.in_flight},
                             {"bytes", stats.bytes},
                             {"max_bytes", stats.max_bytes},
                             {"fsync_failure_latched", stats.sync_failure_latched},
                             {"oldest", edge_json(stats.oldest)},
                             {"newest", edge_json(stats.newest)},
                             {"by_sink", stats.entries_by_sink},
                             {"replays", std::move(recent)}});
}

HttpResponse entries(const DeadLetterStore& store, const HttpRequest& request) {
  const auto parameters = parse_query(request.query, {"limit", "after", "max_bytes"});
  const std::size_t limit = limit_parameter(parameters);
  const std::uint64_t max_bytes = max_bytes_parameter(parameters);
  const std::uint64_t after =
      integer_parameter(parameters, "after", 0, 0, std::numeric_limits<std::uint64_t>::max());
  nlohmann::json list = nlohmann::json::array();
  std::uint64_t last = after;
  for (const DeadLetterEntry& entry : store.list(after, limit, max_bytes)) {
    list.push_back(entry_json(entry));
    last = entry.id;
  }
  // Page on with after=next_after.
  return json_response(200, {{"entries", std::move(list)}, {"next_after", last}});
}

HttpResponse reprocess(DeadLetterReplays& replays, const HttpRequest& request) {
  const auto parameters = parse_query(request.query, {"limit", "sink", "max_bytes"});
  const std::size_t limit = limit_parameter(parameters);
  const std::uint64_t max_bytes = max_bytes_parameter(parameters);
  std::optional<std::string> sink;
  if (const auto it = parameters.find("sink"); it != parameters.end()) {
    if (it->second.empty()) throw BadRequest("sink must not be empty");
    sink = it->second;
  }
  const DeadLetterReplayProgress replay = replays.start(limit, max_bytes, std::move(sink));
  nlohmann::json body = replay_json(replay);
  if (replay.taken > 0 && replay.queued == 0) {
    // Nothing could be queued (stopping, or no room under the memory bound): all stay stored.
    body["error"] = "the pipeline did not accept the records; they stay in the dead-letter store";
    return json_response(503, body);
  }
  // Accepted: each entry is removed once its sink is done with it (see /dlq/stats).
  return json_response(202, body);
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

void add_dead_letter_routes(HttpRouter& router, DeadLetterStore& store,
                            DeadLetterRedelivery redelivery,
                            std::optional<boost::asio::any_io_executor> runs_on) {
  auto replays = std::make_shared<DeadLetterReplays>(store, std::move(redelivery));
  const auto add = [&](const char* method, std::string path, HttpHandler handler) {
    router.add(method, std::move(path), answering_bad_requests(std::move(handler)), runs_on);
  };
  for (const std::string prefix : {"", "/api/v1"}) {
    const auto path = [&](const char* full) { return prefix + (full + std::strlen("/api/v1")); };
    add("GET", path(kDeadLetterStatsPath),
        [&store, replays](const HttpRequest&) { return stats(store, *replays); });
    add("GET", path(kDeadLetterEntriesPath),
        [&store](const HttpRequest& r) { return entries(store, r); });
    add("POST", path(kDeadLetterReprocessPath),
        [replays](const HttpRequest& r) { return reprocess(*replays, r); });
  }
}

}  // namespace lc::server
