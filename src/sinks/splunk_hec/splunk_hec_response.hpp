#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sinks/common/http_response_class.hpp"

namespace lc {

// A collector's answer to a request: {"text": "Success", "code": 0, "ackId": 7}.
struct HecAnswer {
  std::optional<int> code;  // HEC's status code; nothing when the body is not HEC's
  std::string text;
  std::optional<std::uint64_t> ack_id;
};
HecAnswer parse_hec_answer(std::string_view body);

// What an answer means for the records of its request, after HEC's status codes: 2xx delivered;
// 5 (no data), 6 (invalid data format), 12, 13 (event field missing or blank) and 15 (indexed
// fields) refuse the records (the request is split to find them); 7 (incorrect index) does too
// when `index_per_record` (a templated index: one container's wrong index must not stop the
// others), else it holds the sink at once, as 10, 11 (data channel), 14 (ACK disabled) and 16 do
// (misconfiguration); 1-4 (token) hold it as auth; 8 and 9 (server error, busy) are retried.
struct HecVerdict {
  HttpResponseClass answer_class = HttpResponseClass::kDelivered;
  bool holds_at_once = false;
  std::string detail;
  HecAnswer answer;  // the body, as read
};
HecVerdict classify_hec_answer(unsigned status, std::string_view body,
                               bool index_per_record = false);

// The answer to an acknowledgement query, {"acks": {"7": true, "8": false}}: the ids it names,
// acknowledged or not; nothing when it is not such an answer.
std::optional<std::map<std::uint64_t, bool>> parse_hec_acks(std::string_view body);

}  // namespace lc
