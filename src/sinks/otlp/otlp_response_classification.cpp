#include "sinks/otlp/otlp_response_classification.hpp"

#include "sinks/common/http_response_text.hpp"
#include "sinks/otlp/otlp_export_response.hpp"

namespace lc {
namespace {

OtlpErrorKind error_of(unsigned status) {
  if (status == 429) return OtlpErrorKind::kHttp429;
  if (status == 408) return OtlpErrorKind::kTimeout;  // a proxy gave up waiting
  if (status == 401 || status == 403 || status == 407) return OtlpErrorKind::kHttpAuth;
  if (status == 404) return OtlpErrorKind::kHttp404;
  if (status == 413) return OtlpErrorKind::kHttp413;
  if (status == 400) return OtlpErrorKind::kHttp400;
  if (status >= 400 && status < 500) return OtlpErrorKind::kHttp4xx;
  if (status >= 500) return OtlpErrorKind::kHttp5xx;
  return OtlpErrorKind::kHttpOther;  // 1xx, 3xx: a proxy, or an endpoint to fix
}

}  // namespace

std::string_view to_string(OtlpErrorKind kind) {
  switch (kind) {
    case OtlpErrorKind::kConnect:
      return "connect";
    case OtlpErrorKind::kTls:
      return "tls";
    case OtlpErrorKind::kTimeout:
      return "timeout";
    case OtlpErrorKind::kTransport:
      return "transport";
    case OtlpErrorKind::kHttp429:
      return "http_429";
    case OtlpErrorKind::kHttp5xx:
      return "http_5xx";
    case OtlpErrorKind::kHttpAuth:
      return "http_auth";
    case OtlpErrorKind::kHttp404:
      return "http_404";
    case OtlpErrorKind::kHttp413:
      return "http_413";
    case OtlpErrorKind::kHttp400:
      return "http_400";
    case OtlpErrorKind::kHttp4xx:
      return "http_4xx";
    case OtlpErrorKind::kHttpOther:
      return "http_other";
  }
  return "unknown";
}

OtlpResponseVerdict classify_otlp_response(unsigned status, std::string_view content_type,
                                           std::string_view body) {
  OtlpResponseVerdict verdict;
  // OTLP/HTTP: a 400 with the collector's Status refuses the data itself ("MUST NOT retry");
  // a 400 without one (a proxy's page, a plain-text answer) says nothing about the records.
  verdict.answer_class =
      classify_http_response(status, status == 400 && is_otlp_status(content_type, body));
  if (verdict.answer_class == HttpResponseClass::kDelivered) return verdict;
  verdict.error = error_of(status);
  verdict.wrong_endpoint = status == 404;
  verdict.detail = describe_http_status(status, otlp_error_message(content_type, body));
  return verdict;
}

}  // namespace lc
