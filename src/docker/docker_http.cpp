#include "docker/docker_http.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <cctype>
#include <nlohmann/json.hpp>

namespace lc::docker {

namespace http = boost::beast::http;

DockerRequest make_docker_get(const std::string& target, const std::string& host_header) {
  DockerRequest request(http::verb::get, target, 11);
  request.set(http::field::host, host_header);
  request.set(http::field::user_agent, "log-capturer");
  request.set(http::field::accept, "application/json");
  request.keep_alive(true);
  return request;
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

std::string docker_error_message(std::string_view what, unsigned status, std::string_view body) {
  constexpr std::size_t kMaxRawBody = 512;
  std::string message;
  const auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object() && parsed.contains("message") && parsed["message"].is_string()) {
    message = parsed["message"].get<std::string>();
  } else if (!body.empty()) {
    message = std::string(body.substr(0, kMaxRawBody));
    while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back()))) {
      message.pop_back();
    }
  }
  std::string result(what);
  result += ": " + std::to_string(status);
  const auto reason = http::obsolete_reason(static_cast<http::status>(status));
  if (!reason.empty() && reason != "<unknown-status>") {
    result += ' ';
    result += reason;
  }
  if (!message.empty()) result += ": " + message;
  return result;
}

bool is_valid_api_version(std::string_view version) {
  const auto dot = version.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == version.size()) return false;
  for (std::size_t i = 0; i < version.size(); ++i) {
    if (i != dot && !std::isdigit(static_cast<unsigned char>(version[i]))) return false;
  }
  return version.size() <= 16;
}

}  // namespace lc::docker
