#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace lc {

// Why a push failed, for log_capturer_loki_request_errors_total{kind}.
enum class LokiErrorKind {
  kConnect,    // resolve or TCP connect failed
  kTls,        // TLS handshake failed
  kTimeout,    // connect or request timeout
  kTransport,  // connection reset or closed, or an answer that is not HTTP
  kHttp429,    // rate limited
  kHttp5xx,    // Loki (or a proxy) failed
  kHttpAuth,   // 401 / 403
  kHttp413,    // request too large: the batch is split
  kHttp400,    // Loki refused entries (out of order, too old, invalid)
  kHttp4xx,    // any other 4xx
  kHttpOther,  // 1xx or 3xx (a redirect is not followed: fix the url)
};
inline constexpr std::size_t kLokiErrorKindCount = 11;
std::string_view to_string(LokiErrorKind kind);

// Why records were rejected (dead-lettered), for log_capturer_loki_records_rejected_total{reason}.
enum class LokiRejectReason {
  kOutOfOrder,    // 400 "entry out of order"
  kTooOld,        // 400 "too old" / greater_than_max_sample_age
  kTooFarBehind,  // 400 "entry too far behind"
  kBadRequest,    // any other 400
  kHttp4xx,       // any other 4xx
  kTooLarge,      // 413 for a single record: no split can make it fit
};
inline constexpr std::size_t kLokiRejectReasonCount = 6;
std::string_view to_string(LokiRejectReason reason);

// What to do with a batch after Loki answered it.
struct LokiResponseVerdict {
  enum class Action { kDelivered, kRetry, kSplit, kReject };
  Action action = Action::kDelivered;
  std::optional<LokiErrorKind> error;             // unset when delivered
  std::optional<LokiRejectReason> reject_reason;  // set for kReject
  std::string detail;  // "HTTP 400 Bad Request: <Loki's message, trimmed>", empty when delivered
};

// 2xx delivered; 429, 5xx, 408 and 1xx/3xx retried; 401/403 retried (a credentials or tenant
// problem the user must fix: dropping the records instead would lose them all until then); 413
// split; 400 and other 4xx rejected, 400s by the kind of refusal Loki's body names.
LokiResponseVerdict classify_loki_response(unsigned status, std::string_view body);

// `body` made fit for a log line and a reason: one line, blanks trimmed, at most
// kMaxDetailBytes, control bytes replaced by '?' and invalid UTF-8 by U+FFFD.
std::string loki_response_excerpt(std::string_view body);
inline constexpr std::size_t kMaxDetailBytes = 512;

}  // namespace lc
