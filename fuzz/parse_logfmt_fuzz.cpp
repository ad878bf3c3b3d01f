// libFuzzer target for parse_logfmt's line parser. Checks, beyond "no crash" and one pass over
// the line: every key is non-empty and unique, and the pairs written back as logfmt (every
// value quoted and escaped) parse again to the same map.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "processors/parse_logfmt/logfmt_fields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  lc::FieldValue map;
  if (lc::parse_logfmt_fields(line, map)) return 0;
  std::set<std::string> keys;
  std::string written;
  for (const lc::FieldEntry& entry : map.as_map()) {
    if (entry.key.empty() || !keys.insert(entry.key).second) std::abort();
    written += entry.key + "=\"";
    for (const char c : entry.value.as_string()) {
      if (c == '"' || c == '\\') written += '\\';
      if (c == '\n') {
        written += "\\n";
      } else if (c == '\r') {
        written += "\\r";
      } else if (c == '\t') {
        written += "\\t";
      } else {
        written += c;
      }
    }
    written += "\" ";
  }
  lc::FieldValue again;
  if (lc::parse_logfmt_fields(written, again)) std::abort();
  if (!(again == map)) std::abort();
  return 0;
}
