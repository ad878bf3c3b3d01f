#include "sinks/splunk_hec/hec_test_receiver.hpp"

#include <sstream>

#include "support/test_gunzip.hpp"

namespace lc::testing {
namespace {

LokiTestReceiver::Options any_path() {
  LokiTestReceiver::Options options;
  options.path = "";
  options.decode = [](std::string_view, std::string_view, std::string_view, ReceivedRequest&) {};
  return options;
}

ReceiverReply hec_reply(unsigned status, const std::string& text, int code,
                        std::optional<std::uint64_t> ack_id = std::nullopt) {
  nlohmann::json body = {{"text", text}, {"code", code}};
  if (ack_id) body["ackId"] = *ack_id;
  ReceiverReply reply = ReceiverReply::answer(status, body.dump());
  reply.content_type = "application/json";
  return reply;
}

// "a=1&b=x%2Fy" -> {a: "1", b: "x/y"}
std::map<std::string, std::string> parse_query(const std::string& target) {
  std::map<std::string, std::string> out;
  const std::size_t start = target.find('?');
  if (start == std::string::npos) return out;
  std::istringstream parts(target.substr(start + 1));
  for (std::string part; std::getline(parts, part, '&');) {
    const std::size_t equals = part.find('=');
    std::string value;
    const std::string encoded = equals == std::string::npos ? "" : part.substr(equals + 1);
    for (std::size_t i = 0; i < encoded.size(); ++i) {
      if (encoded[i] == '%' && i + 2 < encoded.size()) {
        value += static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16));
        i += 2;
      } else {
        value += encoded[i];
      }
    }
    out[part.substr(0, equals)] = value;
  }
  return out;
}

}  // namespace

HecTestReceiver::HecTestReceiver(std::string token, bool acknowledgements)
    : token_(std::move(token)), acknowledgements_(acknowledgements), http_(any_path()) {
  http_.set_policy([this](const ReceivedRequest& request) {
    ReceiverReply reply = answer(request);
    std::lock_guard lock(mutex_);
    reply.close_after = reply.close_after || close_after_every_answer_;
    return reply;
  });
}

void HecTestReceiver::set_close_after_every_answer(bool close) {
  std::lock_guard lock(mutex_);
  close_after_every_answer_ = close;
}

void HecTestReceiver::set_ack_policy(AckPolicy policy) {
  std::lock_guard lock(mutex_);
  ack_policy_ = std::move(policy);
}

void HecTestReceiver::set_request_policy(RequestPolicy policy) {
  std::lock_guard lock(mutex_);
  request_policy_ = std::move(policy);
}

void HecTestReceiver::set_ack_answer(
    std::function<std::optional<ReceiverReply>(const ReceivedRequest&)> answer) {
  std::lock_guard lock(mutex_);
  ack_answer_ = std::move(answer);
}

std::string HecTestReceiver::endpoint() const {
  return http_.url();  // no path: any target is served
}

std::vector<HecEvent> HecTestReceiver::indexed() const {
  std::lock_guard lock(mutex_);
  return indexed_;
}

std::size_t HecTestReceiver::ack_queries() const {
  std::lock_guard lock(mutex_);
  return ack_queries_;
}

ReceiverReply HecTestReceiver::answer(const ReceivedRequest& request) {
  std::lock_guard lock(mutex_);
  const std::string authorization = request.header("authorization");
  if (authorization.empty()) return hec_reply(401, "Token is required", 2);
  if (authorization != "Splunk " + token_) return hec_reply(403, "Invalid token", 4);
  const std::string path = request.target.substr(0, request.target.find('?'));
  if (path == "/services/collector/ack") return answer_ack(request);
  if (path != "/services/collector/event" && path != "/services/collector/raw") {
    return ReceiverReply::answer(404, "not found");
  }
  if (request_policy_) {
    if (auto reply = request_policy_(request)) return *reply;
  }
  return answer_events(request);
}

ReceiverReply HecTestReceiver::answer_events(const ReceivedRequest& request) {
  std::string body;
  try {
    body = request.header("content-encoding") == "gzip" ? test_gunzip(request.body) : request.body;
  } catch (const std::exception&) {
    return hec_reply(400, "Invalid data format", 6);
  }
  const std::string channel = request.header("x-splunk-request-channel").empty()
                                  ? parse_query(request.target)["channel"]
                                  : request.header("x-splunk-request-channel");
  if (acknowledgements_ && channel.empty()) return hec_reply(400, "Data channel is missing", 10);
  std::vector<HecEvent> events;
  if (request.target.starts_with("/services/collector/raw")) {
    auto metadata = parse_query(request.target);
    std::istringstream lines(body);
    for (std::string line; std::getline(lines, line);) {
      nlohmann::json event = {{"event", line}};
      for (const char* key : {"host", "source", "sourcetype", "index"}) {
        if (metadata.contains(key)) event[key] = metadata[key];
      }
      events.push_back({std::move(event), channel, 0});
    }
  } else {
    std::istringstream stream(body);
    while (stream >> std::ws, !stream.eof()) {
      nlohmann::json event;
      try {
        stream >> event;
      } catch (const std::exception&) {
        return hec_reply(400, "Invalid data format", 6);
      }
      if (!event.contains("event")) return hec_reply(400, "Event field is required", 12);
      if (event["event"] == "") return hec_reply(400, "Event field cannot be blank", 13);
      events.push_back({std::move(event), channel, 0});
    }
  }
  if (events.empty()) return hec_reply(400, "No data", 5);
  if (!acknowledgements_) {
    for (HecEvent& event : events) indexed_.push_back(std::move(event));
    return hec_reply(200, "Success", 0);
  }
  const std::uint64_t ack_id = next_ack_id_[channel]++;
  for (HecEvent& event : events) event.ack_id = ack_id;
  pending_[{channel, ack_id}] = {std::move(events), 0};
  return hec_reply(200, "Success", 0, ack_id);
}

ReceiverReply HecTestReceiver::answer_ack(const ReceivedRequest& request) {
  ++ack_queries_;
  if (ack_answer_) {
    if (auto reply = ack_answer_(request)) return *reply;
  }
  if (!acknowledgements_) return hec_reply(400, "ACK is disabled", 14);
  const std::string channel = request.header("x-splunk-request-channel").empty()
                                  ? parse_query(request.target)["channel"]
                                  : request.header("x-splunk-request-channel");
  const auto asked = nlohmann::json::parse(request.body, nullptr, false);
  if (!asked.is_object() || !asked.contains("acks")) {
    return hec_reply(400, "Invalid data format", 6);
  }
  nlohmann::json acks = nlohmann::json::object();
  for (const auto& id : asked["acks"]) {
    const std::uint64_t ack_id = id.get<std::uint64_t>();
    auto pending = pending_.find({channel, ack_id});
    bool indexed = false;
    if (pending != pending_.end()) {
      ++pending->second.queries;
      indexed = !ack_policy_ || ack_policy_(ack_id, pending->second.queries);
      if (indexed) {
        for (HecEvent& event : pending->second.events) indexed_.push_back(std::move(event));
        pending_.erase(pending);
      }
    }
    acks[std::to_string(ack_id)] = indexed;
  }
  ReceiverReply reply = ReceiverReply::answer(200, nlohmann::json({{"acks", acks}}).dump());
  reply.content_type = "application/json";
  return reply;
}

}  // namespace lc::testing
