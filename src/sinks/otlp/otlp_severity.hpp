#pragma once

#include <cstdint>

#include "core/field_value.hpp"

namespace lc {

// The OpenTelemetry SeverityNumber of a level field's value (a word or a syslog/Bunyan number,
// as the `level` processor reads them): TRACE 1, DEBUG 5, INFO 9, WARN 13, ERROR 17, FATAL 21
// (the first of each range of the log data model); 0 (unspecified) when it is not a level.
std::int32_t otlp_severity_number(const FieldValue& level);

}  // namespace lc
