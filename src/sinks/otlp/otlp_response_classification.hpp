#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sinks/common/http_response_class.hpp"

namespace lc {

// Why an export failed, for log_capturer_otlp_request_errors_total{kind}.
enum class OtlpErrorKind {
  kConnect,    // resolve or TCP connect failed
  kTls,        // TLS handshake failed
  kTimeout,    // connect or request timeout (or a proxy's 408)
  kTransport,  // connection reset or closed, or an answer that is not HTTP
  kHttp429,    // rate limited
  kHttp5xx,    // the collector (or a proxy) failed
  kHttpAuth,   // 401 / 403 / 407
  kHttp404,    // no OTLP logs receiver at that path
  kHttp413,    // request too large: the batch is split
  kHttp400,    // the collector could not process the request: the batch is split
  kHttp4xx,    // any other 4xx
  kHttpOther,  // 1xx or 3xx (a redirect is not followed: fix the endpoint)
};
inline constexpr std::size_t kOtlpErrorKindCount = 12;
std::string_view to_string(OtlpErrorKind kind);

// What to do with a batch after the collector answered it.
struct OtlpResponseVerdict {
  HttpResponseClass answer_class = HttpResponseClass::kDelivered;
  std::optional<OtlpErrorKind> error;  // unset when delivered
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
