#include "sinks/common/http_response_text.hpp"

#include <boost/beast/http/status.hpp>

#include "sinks/common/utf8_repair.hpp"

namespace lc {

std::string http_response_excerpt(std::string_view body) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!body.empty() && blank(body.front())) body.remove_prefix(1);
  while (!body.empty() && blank(body.back())) body.remove_suffix(1);
  const bool cut = body.size() > kMaxDetailBytes;
  body = body.substr(0, kMaxDetailBytes);
  std::string excerpt;
  excerpt.reserve(body.size() + 3);
  for (const char c : body) {
    const auto byte = static_cast<unsigned char>(c);
    // Multi-line messages stay one log line; other control bytes are garbage.
    if (c == '\n' || c == '\r' || c == '\t') {
      excerpt += ' ';
    } else if (byte < 0x20 || byte == 0x7F) {
      excerpt += '?';
    } else {
      excerpt += c;
    }
  }
  if (cut) excerpt += "...";
  std::string repaired;
  const std::string_view valid = as_valid_utf8(excerpt, repaired);
  return valid.data() == excerpt.data() ? excerpt : std::string(valid);
}

std::string describe_http_status(unsigned status, std::string_view body) {
  std::string detail = "HTTP " + std::to_string(status);
  const auto reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  if (!reason.empty() && reason != "<unknown-status>") {
    detail += ' ';
    detail += reason;
  }
  const std::string excerpt = http_response_excerpt(body);
  if (!excerpt.empty()) detail += ": " + excerpt;
  return detail;
}

}  // namespace lc
