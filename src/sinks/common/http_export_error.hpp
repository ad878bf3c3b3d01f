#pragma once

#include <cstddef>
#include <string_view>

#include "sinks/common/sink_connection.hpp"

namespace lc {

// Why a request of an HTTP export sink (OTLP, HTTP) failed, for
// log_capturer_<type>_request_errors_total{kind}.
enum class HttpExportError {
  kConnect,    // resolve or TCP connect failed
  kTls,        // TLS handshake failed
  kTimeout,    // connect or request timeout (or a proxy's 408)
  kTransport,  // connection reset or closed, or an answer that is not HTTP
  kHttp429,    // rate limited
  kHttp5xx,    // the backend (or a proxy) failed
  kHttpAuth,   // 401 / 403 / 407
  kHttp404,
  kHttp405,
  kHttp413,  // request too large: the batch is split
  kHttp400,
  kHttp422,
  kHttp4xx,    // any other 4xx
  kHttpOther,  // 1xx or 3xx (a redirect is not followed: fix the URL)
};
inline constexpr std::size_t kHttpExportErrorCount = 14;
std::string_view to_string(HttpExportError error);

HttpExportError http_export_error_of(unsigned status);
HttpExportError http_export_error_of(SinkTransportError::Kind kind);

}  // namespace lc
