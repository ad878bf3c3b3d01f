#include "sinks/common/http_header_text.hpp"

namespace lc {

ValueProblem check_http_header_text(std::string_view value) {
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      return "must not contain control characters such as line breaks (it is sent as an HTTP "
             "header)";
    }
  }
  return std::nullopt;
}

}  // namespace lc
