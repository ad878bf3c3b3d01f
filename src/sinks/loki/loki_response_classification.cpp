#include "sinks/loki/loki_response_classification.hpp"

#include <boost/beast/http/status.hpp>

#include "sinks/loki/utf8_repair.hpp"

namespace lc {
namespace {

std::string describe_status(unsigned status, std::string_view body) {
  std::string detail = "HTTP " + std::to_string(status);
  const auto reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  if (!reason.empty() && reason != "<unknown-status>") {
    detail += ' ';
    detail += reason;
  }
  const std::string excerpt = loki_response_excerpt(body);
  if (!excerpt.empty()) detail += ": " + excerpt;
  return detail;
}

}  // namespace

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
  verdict.detail = describe_status(status, body);
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

std::string loki_response_excerpt(std::string_view body) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!body.empty() && blank(body.front())) body.remove_prefix(1);
  while (!body.empty() && blank(body.back())) body.remove_suffix(1);
  const bool cut = body.size() > kMaxDetailBytes;
  body = body.substr(0, kMaxDetailBytes);
  std::string excerpt;
  excerpt.reserve(body.size() + 3);
  for (const char c : body) {
    const auto byte = static_cast<unsigned char>(c);
    // Multi-line Loki messages stay one log line; other control bytes are garbage.
    if (c == '\n' || c == '\r' || c == '\t') {
      excerpt += ' ';
    } else if (byte < 0x20 || byte == 0x7F) {
      excerpt += '?';
    } else {
      excerpt += c;
    }
  }
  if (cut) excerpt += "...";
  std::string repaired;
  const std::string_view valid = as_valid_utf8(excerpt, repaired);
  return valid.data() == excerpt.data() ? excerpt : std::string(valid);
}

}  // namespace lc
