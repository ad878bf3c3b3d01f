#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/field_value.hpp"

namespace lc {

// RFC 5424's facility (0-23) of a name ("user", "local0", "authpriv"...) or of its number.
std::optional<std::uint8_t> syslog_facility_of(std::string_view text);
// RFC 5424's severity (0 emerg - 7 debug) of a name ("err", "error", "warning", "warn"...) or of
// its number.
std::optional<std::uint8_t> syslog_severity_of(std::string_view text);
// The severity a level field states: a syslog severity name or number, else any level word
// or number the `level` processor reads (trace and debug: 7, info 6, warn 4, error 3, fatal 2).
std::optional<std::uint8_t> syslog_severity_of_level(const FieldValue& level);

}  // namespace lc
