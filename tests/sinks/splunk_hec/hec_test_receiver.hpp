#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sinks/loki/loki_test_receiver.hpp"

namespace lc::testing {

// One event as the collector read it: a JSON event of /services/collector/event, or a line of
// /services/collector/raw (as {"event": line} with the query's metadata as keys).
struct HecEvent {
  nlohmann::json event;
  std::string channel;
  std::uint64_t ack_id = 0;  // with acknowledgements
};

// A stand-in for Splunk's HTTP Event Collector: /services/collector/event (JSON events, one
// after the other), /services/collector/raw (lines; host, source, sourcetype, index in the
// query) and /services/collector/ack, gzip'd or not. Checks the token (401 code 2 without one,
// 403 code 4 for a wrong one), refuses an event without "event" (400 code 12) or a body that is
// not JSON events (400 code 6), and answers {"text":"Success","code":0[,"ackId":N]}. With
// acknowledgements, a request's events are indexed once the ack policy says so; until then
// they are not in indexed(), and a request never acknowledged is never indexed (the agent must
// send it again). Listens on 127.0.0.1 on its own thread.
class HecTestReceiver {
 public:
  // Whether `ack_id` is indexed at the `query`th question about it (from 1).
  using AckPolicy = std::function<bool(std::uint64_t ack_id, unsigned query)>;
  using RequestPolicy = std::function<std::optional<ReceiverReply>(const ReceivedRequest&)>;

  HecTestReceiver(std::string token, bool acknowledgements);

  // Default: acknowledged at the first question.
  void set_ack_policy(AckPolicy policy);
  // An answer instead of the collector's own, per event or raw request.
  void set_request_policy(RequestPolicy policy);
  // The answer to ack queries instead of the collector's own (a lying collector).
  void set_ack_answer(std::function<std::optional<ReceiverReply>(const ReceivedRequest&)> answer);

  // Every answer then closes its connection (a proxy without keep-alive).
  void set_close_after_every_answer(bool close);

  std::string endpoint() const;  // http://127.0.0.1:<port>
  std::vector<HecEvent> indexed() const;
  std::vector<ReceivedRequest> requests() const { return http_.requests(); }
  std::size_t ack_queries() const;

 private:
  struct PendingAck {
    std::vector<HecEvent> events;
    unsigned queries = 0;
  };
  ReceiverReply answer(const ReceivedRequest& request);
  ReceiverReply answer_events(const ReceivedRequest& request);
  ReceiverReply answer_ack(const ReceivedRequest& request);

  const std::string token_;
  const bool acknowledgements_;
  mutable std::mutex mutex_;
  AckPolicy ack_policy_;
  RequestPolicy request_policy_;
  std::function<std::optional<ReceiverReply>(const ReceivedRequest&)> ack_answer_;
  std::map<std::string, std::uint64_t> next_ack_id_;  // per channel
  std::map<std::pair<std::string, std::uint64_t>, PendingAck> pending_;
  std::vector<HecEvent> indexed_;
  std::size_t ack_queries_ = 0;
  bool close_after_every_answer_ = false;
  LokiTestReceiver http_;  // last: its thread stops before the state above goes
};

}  // namespace lc::testing
