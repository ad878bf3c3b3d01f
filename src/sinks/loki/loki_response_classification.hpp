#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sinks/common/http_response_class.hpp"
#include "sinks/loki/loki_validation_refusal.hpp"

namespace lc {

// Why a push failed, for log_capturer_loki_request_errors_total{kind}.
enum class LokiErrorKind {
  kConnect,    // resolve or TCP connect failed
  kTls,        // TLS handshake failed
  kTimeout,    // connect or request timeout
  kTransport,  // connection reset or closed, or an answer that is not HTTP
  kHttp429,    // rate limited
  kHttp5xx,    // Loki (or a proxy) failed
  kHttpAuth,   // 401 / 403 / 407
  kHttp413,    // request too large: the batch is split
  kHttp400,    // any 400: Loki refusing entries (out of order, too old...) or a proxy
  kHttp4xx,    // any other 4xx
  kHttpOther,  // 1xx or 3xx (a redirect is not followed: fix the url)
};
inline constexpr std::size_t kLokiErrorKindCount = 11;
std::string_view to_string(LokiErrorKind kind);

// What to do with a batch after Loki answered it.
struct LokiResponseVerdict {
  HttpResponseClass answer_class = HttpResponseClass::kDelivered;
  std::optional<LokiErrorKind> error;             // unset when delivered
  std::optional<LokiRejectReason> reject_reason;  // set for kRecordsRefused
  std::string detail;  // "HTTP 400 Bad Request: <Loki's message, trimmed>", empty when delivered
};

// The shared HTTP classification (sinks/common/http_response_class.hpp) with Loki's knowledge:
// a 400 refuses records only when its body is one of Loki's validation messages
// (loki_validation_refusal); any other 400 or 4xx (a proxy, a wrong path) keeps the records.
LokiResponseVerdict classify_loki_response(unsigned status, std::string_view body);

}  // namespace lc
