#pragma once

#include <string_view>

#include "config/config_value_checks.hpp"

namespace lc {

// Tenant, credentials: sent as HTTP header values, so no control characters (a line break
// would end the header). The message never repeats the value: it may be a secret.
ValueProblem check_http_header_text(std::string_view value);

// A header name of the user's (a sink's `headers`): an HTTP token (RFC 9110 5.6.2), and not one
// the sink sets itself (Host, Content-Type, Content-Encoding, Content-Length, Transfer-Encoding,
// Connection).
ValueProblem check_http_header_name(std::string_view name);

}  // namespace lc
