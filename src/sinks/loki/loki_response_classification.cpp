#include "sinks/loki/loki_response_classification.hpp"

#include <boost/beast/http/status.hpp>

#include "sinks/loki/utf8_repair.hpp"

namespace lc {
namespace {

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

LokiRejectReason reason_of_bad_request(std::string_view body) {
  // Loki's validation messages (pkg/validation): checked in this order because a body lists
  // the first failing entries and may mix kinds.
  if (contains(body, "entry out of order")) return LokiRejectReason::kOutOfOrder;
  if (contains(body, "too far behind")) return LokiRejectReason::kTooFarBehind;
  if (contains(body, "too old") || contains(body, "greater_than_max_sample_age")) {
    return LokiRejectReason::kTooOld;
  }
  return LokiRejectReason::kBadRequest;
}

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

std::string_view to_string(LokiRejectReason reason) {
  switch (reason) {
    case LokiRejectReason::kOutOfOrder:
      return "out_of_order";
    case LokiRejectReason::kTooOld:
      return "too_old";
    case LokiRejectReason::kTooFarBehind:
      return "too_far_behind";
    case LokiRejectReason::kBadRequest:
      return "bad_request";
    case LokiRejectReason::kHttp4xx:
      return "http_4xx";
    case LokiRejectReason::kTooLarge:
      return "too_large";
  }
  return "unknown";
}

LokiResponseVerdict classify_loki_response(unsigned status, std::string_view body) {
  using Action = LokiResponseVerdict::Action;
  LokiResponseVerdict verdict;
  if (status >= 200 && status < 300) return verdict;
  verdict.detail = describe_status(status, body);
  if (status == 429) {
    verdict.action = Action::kRetry;
    verdict.error = LokiErrorKind::kHttp429;
  } else if (status == 408) {
    verdict.action = Action::kRetry;  // a proxy gave up waiting: nothing wrong with the records
    verdict.error = LokiErrorKind::kTimeout;
  } else if (status == 401 || status == 403) {
    verdict.action = Action::kRetry;
    verdict.error = LokiErrorKind::kHttpAuth;
  } else if (status == 413) {
    verdict.action = Action::kSplit;
    verdict.error = LokiErrorKind::kHttp413;
  } else if (status == 400) {
    verdict.action = Action::kReject;
    verdict.error = LokiErrorKind::kHttp400;
    verdict.reject_reason = reason_of_bad_request(body);
  } else if (status >= 400 && status < 500) {
    verdict.action = Action::kReject;
    verdict.error = LokiErrorKind::kHttp4xx;
    verdict.reject_reason = LokiRejectReason::kHttp4xx;
  } else if (status >= 500) {
    verdict.action = Action::kRetry;
    verdict.error = LokiErrorKind::kHttp5xx;
  } else {
    // 1xx, 3xx: no Loki answers so, a proxy in between does; the records are not at fault.
    verdict.action = Action::kRetry;
    verdict.error = LokiErrorKind::kHttpOther;
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
