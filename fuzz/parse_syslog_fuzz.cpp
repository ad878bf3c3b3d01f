// libFuzzer target for parse_syslog's line parser. Checks, beyond "no crash" and one pass: a
// parsed line's message is the end of the line (never made up), and its severity, when present,
// is 0-7 with the matching level.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "processors/parse_syslog/syslog_fields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  lc::FieldValue fields;
  if (lc::parse_syslog_fields(line, fields)) return 0;
  if (const lc::FieldValue* message = fields.find("message")) {
    if (!line.ends_with(message->as_string())) std::abort();
  }
  if (const lc::FieldValue* severity = fields.find("severity")) {
    if (severity->as_int() < 0 || severity->as_int() > 7 || fields.find("level") == nullptr) {
      std::abort();
    }
  }
  return 0;
}
