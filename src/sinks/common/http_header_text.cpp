#include "sinks/common/http_header_text.hpp"

#include <fmt/format.h>
#include <strings.h>

#include <cstring>

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

ValueProblem check_http_header_name(std::string_view name) {
  constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";
  if (name.empty()) return "a header name cannot be empty";
  for (const char* own : {"Host", "Content-Type", "Content-Encoding", "Content-Length",
                          "Transfer-Encoding", "Connection"}) {
    if (name.size() == std::strlen(own) && strncasecmp(name.data(), own, name.size()) == 0) {
      return fmt::format("{} is set by the sink itself (from its URL, encoding and compression)",
                         quote_for_message(name));
    }
  }
  for (const char c : name) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && kTokenSymbols.find(c) == std::string_view::npos) {
      return fmt::format("{} is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)",
                         quote_for_message(name));
    }
  }
  return std::nullopt;
}

}  // namespace lc
