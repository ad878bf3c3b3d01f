#include "sinks/http/http_output_sink.hpp"

#include <fmt/format.h>

#include "core/machine_hostname.hpp"
#include "sinks/common/http_authorization.hpp"
#include "sinks/common/http_response_text.hpp"

namespace lc {
namespace {

struct ParsedUrl {
  HttpUrl base;
  RecordTemplate target;
};

// Throws std::invalid_argument on a malformed url.
ParsedUrl parse_url(const std::string& url) {
  ParsedUrl parsed;
  if (auto problem = parse_http_output_url(url, parsed.base, parsed.target)) {
    throw std::invalid_argument("http url: " + *problem);
  }
  // The client's own target: the template's text when it has no placeholder.
  parsed.base.target =
      parsed.target.constant() ? percent_encode_target(parsed.target.source()) : "/";
  return parsed;
}

HttpSinkClientSettings client_settings(const HttpOutputOptions& options) {
  HttpSinkClientSettings settings;
  settings.backend = "the HTTP endpoint";
  settings.url = parse_url(options.url).base;
  settings.method = options.method == HttpOutputOptions::Method::kPut
                        ? boost::beast::http::verb::put
                        : boost::beast::http::verb::post;
  settings.tls = options.tls;
  settings.connect_timeout = options.connect_timeout;
  settings.request_timeout = options.request_timeout;
  settings.headers = options.headers;
  add_http_authorization(settings.headers, options.username, options.password,
                         options.bearer_token);
  return settings;
}

}  // namespace

std::string percent_encode_target(std::string_view text) {
  constexpr std::string_view kUnsafe = "<>\"{}|\\^` ";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x21 || byte >= 0x7F || kUnsafe.find(c) != std::string_view::npos) {
      fmt::format_to(std::back_inserter(out), "%{:02X}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

HttpOutputSink::HttpOutputSink(std::string name, const HttpOutputOptions& options,
                               MetricsRegistry& metrics)
    : HttpExportSink(std::move(name), {"http_sink", "the HTTP endpoint"}, client_settings(options),
                     metrics),
      target_(parse_url(options.url).target),
      host_(machine_hostname()),
      encoder_(options) {}

HttpSinkRequestBody HttpOutputSink::encode(std::span<const LogRecord> records) {
  return encoder_.encode(records);
}

HttpExportSink::Verdict HttpOutputSink::judge(const HttpSinkResponse& response,
                                              std::size_t records) {
  (void)records;  // one answer for the whole request

  const unsigned status = response.status;
  Verdict verdict;
  // 400 and 422: the endpoint judged the records (it cannot tell which: the request is split).
  verdict.answer_class = classify_http_response(status, status == 400 || status == 422);
  if (verdict.answer_class == HttpResponseClass::kDelivered) return verdict;
  // A wrong URL or method, unless the URL is a template: one target's 404 (a path for a
  // container the endpoint does not know) must not hold every other target's records.
  verdict.holds_at_once = (status == 404 || status == 405) && target_.constant();
  verdict.detail = describe_http_status(status, response.body);
  return verdict;
}

std::string HttpOutputSink::hold_hint(SinkHoldCause cause) const {
  if (cause == SinkHoldCause::kAuth) {
    return "check the credentials (headers, username/password or bearer_token)";
  }
  return "check the url and method, and any proxy in between";
}

std::string HttpOutputSink::target_of(const LogRecord& record) {
  std::string target;
  target_.render_escaped(
      RecordContext{record, host_}, target,
      [](std::string_view literal, std::string& out) { out += percent_encode_target(literal); },
      percent_encode_value);
  return target;
}

}  // namespace lc
