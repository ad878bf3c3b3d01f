#pragma once

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <string>
#include <string_view>

namespace lc::docker {

using DockerRequest = boost::beast::http::request<boost::beast::http::empty_body>;

// A GET for `target` with the headers the engine expects (Host, User-Agent, keep-alive).
DockerRequest make_docker_get(const std::string& target, const std::string& host_header);

// Percent-encodes everything but RFC 3986 unreserved characters (for query values and path
// segments such as container ids).
std::string url_encode(std::string_view text);

// Docker's error body is {"message":"..."}; falls back to the raw body (truncated) or the
// status text. Result: "GET /v1.41/x: 500 Internal Server Error: <message>".
std::string docker_error_message(std::string_view what, unsigned status, std::string_view body);

// "1.41" -> ok; anything else (empty, "v1.41", "1.41; rm") is rejected before it reaches a URL.
bool is_valid_api_version(std::string_view version);

}  // namespace lc::docker
