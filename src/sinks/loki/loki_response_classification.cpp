#include "sinks/loki/loki_response_classification.hpp"

#include "sinks/common/http_response_text.hpp"

namespace lc {
std::string_view to_string(LokiErrorKind kind) {
  switch (kind) {
    case LokiErrorKind::kConnect:
      return "connect";
    case LokiErrorKind::kTls:
      return "tls";
    case LokiErrorKind::kTimeout:
      return "timeout";
    case LokiErrorKind::kTransport:
      return "transport";
    case LokiErrorKind::kHttp429:
      return "http_429";
    case LokiErrorKind::kHttp5xx:
      return "http_5xx";
    case LokiErrorKind::kHttpAuth:
      return "http_auth";
    case LokiErrorKind::kHttp413:
      return "http_413";
    case LokiErrorKind::kHttp400:
      return "http_400";
    case LokiErrorKind::kHttp4xx:
      return "http_4xx";
    case LokiErrorKind::kHttpOther:
      return "http_other";
  }
  return "unknown";
}

LokiResponseVerdict classify_loki_response(unsigned status, std::string_view body) {
  LokiResponseVerdict verdict;
  if (status == 400) verdict.reject_reason = loki_validation_refusal(body);
  verdict.answer_class = classify_http_response(status, verdict.reject_reason.has_value());
  if (verdict.answer_class == HttpResponseClass::kDelivered) return verdict;
  verdict.detail = describe_http_status(status, body);
  if (status == 429) {
    verdict.error = LokiErrorKind::kHttp429;
  } else if (status == 408) {
    verdict.error = LokiErrorKind::kTimeout;  // a proxy gave up waiting
  } else if (status == 401 || status == 403 || status == 407) {
    verdict.error = LokiErrorKind::kHttpAuth;
  } else if (status == 413) {
    verdict.error = LokiErrorKind::kHttp413;
  } else if (status == 400) {
    verdict.error = LokiErrorKind::kHttp400;
  } else if (status >= 400 && status < 500) {
    verdict.error = LokiErrorKind::kHttp4xx;
  } else if (status >= 500) {
    verdict.error = LokiErrorKind::kHttp5xx;
  } else {
    verdict.error = LokiErrorKind::kHttpOther;  // 1xx, 3xx: a proxy, or a URL to fix
  }
  return verdict;
}

}  // namespace lc
