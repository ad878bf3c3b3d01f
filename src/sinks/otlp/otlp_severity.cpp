#include "sinks/otlp/otlp_severity.hpp"

#include "core/level_words.hpp"

namespace lc {

std::int32_t otlp_severity_number(const FieldValue& level) {
  const std::optional<LogLevel> parsed = level_of_value(level);
  if (!parsed) return 0;
  // LogLevel runs kTrace..kFatal in order; each OTel range is 4 wide, starting at 1.
  return 1 + 4 * static_cast<std::int32_t>(*parsed);
}

}  // namespace lc
