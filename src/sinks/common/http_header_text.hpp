#pragma once

#include <string_view>

#include "config/config_value_checks.hpp"

namespace lc {

// Tenant, credentials: sent as HTTP header values, so no control characters (a line break
// would end the header). The message never repeats the value: it may be a secret.
ValueProblem check_http_header_text(std::string_view value);

}  // namespace lc
