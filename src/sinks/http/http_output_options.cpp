#include "sinks/http/http_output_options.hpp"

#include <fmt/format.h>

#include <array>
#include <optional>

#include "config/tls_client_reader.hpp"
#include "config/yaml_section.hpp"
#include "sinks/common/http_client_keys.hpp"
#include "sinks/common/http_header_text.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<HttpOutputOptions::Method>, 2> kMethodChoices{{
    {"post", HttpOutputOptions::Method::kPost},
    {"put", HttpOutputOptions::Method::kPut},
}};

constexpr std::array<EnumChoice<HttpOutputOptions::Encoding>, 3> kHttpEncodingChoices{{
    {"ndjson", HttpOutputOptions::Encoding::kNdjson},
    {"json_array", HttpOutputOptions::Encoding::kJsonArray},
    {"text", HttpOutputOptions::Encoding::kText},
}};

constexpr std::array<EnumChoice<HttpOutputOptions::Compression>, 3> kHttpCompressionChoices{{
    {"none", HttpOutputOptions::Compression::kNone},
    {"gzip", HttpOutputOptions::Compression::kGzip},
    {"zstd", HttpOutputOptions::Compression::kZstd},
}};

ValueProblem check_url(std::string_view text) {
  if (text.empty()) return "is required: where records are sent, e.g. http://collector:8080/logs";
  HttpUrl base;
  RecordTemplate target;
  return parse_http_output_url(text, base, target);
}

}  // namespace

ValueProblem parse_http_output_url(std::string_view url, HttpUrl& base, RecordTemplate& target) {
  const std::size_t scheme_end = url.find("://");
  const std::size_t path_start = scheme_end == std::string_view::npos
                                     ? std::string_view::npos
                                     : url.find_first_of("/?", scheme_end + 3);
  const std::string_view origin = url.substr(0, path_start);
  if (origin.find("{{") != std::string_view::npos) {
    return fmt::format("{}: only the path and query may hold templates, not the host",
                       quote_for_message(url));
  }
  HttpUrl parsed;
  if (auto problem = parse_http_url(origin, "/", "http://collector:8080/logs", parsed)) {
    return problem;
  }
  // A query alone gets the root path ("/?x=1"); built whole, not by insert(), which GCC 12
  // at -O2 wrongly reports as an overlapping memcpy (-Wrestrict, GCC bug 105329).
  const std::string_view rest = path_start == std::string_view::npos ? "/" : url.substr(path_start);
  const std::string path = rest.front() == '?' ? "/" + std::string(rest) : std::string(rest);
  if (path.find_first_of("\r\n#") != std::string::npos) {
    return fmt::format("{}: no line breaks or '#fragment' in the path", quote_for_message(url));
  }
  RecordTemplate rendered;
  if (auto problem = RecordTemplate::parse(path, rendered)) return problem;
  if (rendered.reads(FieldPath::Root::kMessage)) {
    return fmt::format("{}: the URL cannot read .message (a request per line)",
                       quote_for_message(url));
  }
  parsed.target.clear();
  base = std::move(parsed);
  target = std::move(rendered);
  return std::nullopt;
}

void read_http_output_options(YamlSection& section, HttpOutputOptions& http) {
  section.read_string(
      {"url",
       "Where batches go: `http(s)://host[:port]/path?query`. The path and query may hold "
       "templates ([docs/fields.md](fields.md)), e.g. `http://c:8080/logs/{{ .container_name }}`: "
       "a request per distinct rendering. No `user:password@`: use `username`/`password`.",
       "required"},
      http.url, check_url);
  if (http.url.empty() && !section.cataloguing() && !section.failed("url")) {
    section.fail("url", "is required: where records are sent, e.g. http://collector:8080/logs");
  }
  section.read_enum<HttpOutputOptions::Method>({"method", "`post` or `put`."}, http.method,
                                               kMethodChoices);
  section.read_enum<HttpOutputOptions::Encoding>(
      {"encoding",
       "`ndjson`: one record a line as the file store writes it (`application/x-ndjson`); "
       "`json_array`: those objects in one JSON array (`application/json`); `text`: the "
       "messages, a line each (`text/plain`)."},
      http.encoding, kHttpEncodingChoices);
  section.read_enum<HttpOutputOptions::Compression>(
      {"compression", "`none`, `gzip` or `zstd` (`Content-Encoding`)."}, http.compression,
      kHttpCompressionChoices);
  section.read_string_map(
      {"headers", "Extra request headers, `name: value`. Use `${ENV}` references for secrets."},
      http.headers, check_http_header_name, check_http_header_text);
  section.read_string(
      {"username", "Basic auth user (with `password`). Use `${ENV}` references for secrets."},
      http.username, check_http_header_text);
  section.read_secret({"password", "Basic auth password; requires `username`."}, http.password,
                      check_http_header_text);
  section.read_secret(
      {"bearer_token", "Sent as `Authorization: Bearer <token>`; not together with `username`."},
      http.bearer_token, check_http_header_text);
  read_tls_client_options(section, http.tls);
  section.read_duration(
      {"connect_timeout", "Time allowed to resolve, connect and (https) handshake."},
      http.connect_timeout);
  section.read_duration(
      {"request_timeout", "Time allowed to send one request and read the answer."},
      http.request_timeout);
  HttpUrl base;
  RecordTemplate target;
  std::optional<bool> https;
  if (!parse_http_output_url(http.url, base, target)) https = base.https;
  check_http_client_keys(
      section, {http.username, http.password, http.bearer_token, http.headers, http.tls, https});
}

}  // namespace lc
