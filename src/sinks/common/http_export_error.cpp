#include "sinks/common/http_export_error.hpp"

#include <array>

namespace lc {

std::string_view to_string(HttpExportError error) {
  static constexpr std::array<std::string_view, kHttpExportErrorCount> kNames{
      "connect",  "tls",      "timeout",  "transport", "http_429", "http_5xx", "http_auth",
      "http_404", "http_405", "http_413", "http_400",  "http_422", "http_4xx", "http_other"};
  return kNames[static_cast<std::size_t>(error)];
}

HttpExportError http_export_error_of(unsigned status) {
  switch (status) {
    case 400:
      return HttpExportError::kHttp400;
    case 401:
    case 403:
    case 407:
      return HttpExportError::kHttpAuth;
    case 404:
      return HttpExportError::kHttp404;
    case 405:
      return HttpExportError::kHttp405;
    case 408:
      return HttpExportError::kTimeout;  // a proxy gave up waiting
    case 413:
      return HttpExportError::kHttp413;
    case 422:
      return HttpExportError::kHttp422;
    case 429:
      return HttpExportError::kHttp429;
    default:
      break;
  }
  if (status >= 500) return HttpExportError::kHttp5xx;
  if (status >= 400) return HttpExportError::kHttp4xx;
  return HttpExportError::kHttpOther;
}

HttpExportError http_export_error_of(SinkTransportError::Kind kind) {
  switch (kind) {
    case SinkTransportError::Kind::kConnect:
      return HttpExportError::kConnect;
    case SinkTransportError::Kind::kTls:
      return HttpExportError::kTls;
    case SinkTransportError::Kind::kTimeout:
      return HttpExportError::kTimeout;
    case SinkTransportError::Kind::kTransport:
      break;
  }
  return HttpExportError::kTransport;
}

}  // namespace lc
