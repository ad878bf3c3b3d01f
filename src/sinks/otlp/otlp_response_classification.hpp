#pragma once

#include <string>
#include <string_view>

#include "sinks/common/http_response_class.hpp"

namespace lc {

// What to do with a batch after the collector answered it.
struct OtlpResponseVerdict {
  HttpResponseClass answer_class = HttpResponseClass::kDelivered;
  // A 404: the endpoint has no logs receiver (a wrong path, a collector without the logs
  // pipeline), a misconfiguration from the first answer on.
  bool wrong_endpoint = false;
  std::string detail;  // "HTTP 400 Bad Request: <the Status message>", empty when delivered
};

// The shared HTTP classification (sinks/common/http_response_class.hpp) with the OTLP/HTTP
// specification's: 400 with the collector's google.rpc.Status is the collector refusing the
// request's data (its records are isolated by splitting, then dead-lettered), a 400 without one
// is unexpected (retried; many in a row hold); 429, 502, 503, 504 and other 5xx are retried
// (honouring Retry-After); 401/403 hold the sink; 404 holds it too (wrong_endpoint).
OtlpResponseVerdict classify_otlp_response(unsigned status, std::string_view content_type,
                                           std::string_view body);

}  // namespace lc
