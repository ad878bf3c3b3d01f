#include "sinks/otlp/otlp_sink_options.hpp"

#include <fmt/format.h>

#include <array>
#include <optional>

#include "config/tls_client_reader.hpp"
#include "config/yaml_section.hpp"
#include "sinks/common/http_client_keys.hpp"
#include "sinks/common/http_header_text.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<OtlpSinkOptions::Encoding>, 2> kOtlpEncodingChoices{{
    {"protobuf", OtlpSinkOptions::Encoding::kProtobuf},
    {"json", OtlpSinkOptions::Encoding::kJson},
}};

constexpr std::array<EnumChoice<OtlpSinkOptions::Compression>, 2> kOtlpCompressionChoices{{
    {"gzip", OtlpSinkOptions::Compression::kGzip},
    {"none", OtlpSinkOptions::Compression::kNone},
}};

constexpr std::string_view kLogsPath = "/v1/logs";

ValueProblem check_logs_url(std::string_view text) {
  HttpUrl ignored;
  return parse_otlp_logs_url(text, ignored);
}

ValueProblem check_resource_attribute(std::string_view entry) {
  OtlpAttributeSpec ignored;
  return parse_otlp_resource_attribute(entry, ignored);
}

ValueProblem check_source_template(std::string_view text) {
  RecordTemplate ignored;
  return parse_otlp_source_template(text, ignored);
}

void check_conflicts(YamlSection& section, const OtlpSinkOptions& otlp) {
  HttpUrl url;
  std::optional<bool> https;
  if (!parse_otlp_logs_url(otlp.endpoint, url)) https = url.https;
  check_http_client_keys(
      section, {otlp.username, otlp.password, otlp.bearer_token, otlp.headers, otlp.tls, https});
}

}  // namespace

ValueProblem parse_otlp_logs_url(std::string_view endpoint, HttpUrl& out) {
  HttpUrl url;
  if (auto problem = parse_http_url(endpoint, kLogsPath, "http://otel-collector:4318", url)) {
    return problem;
  }
  const std::size_t query = url.target.find('?');
  std::string path = url.target.substr(0, query);
  if (!path.ends_with(kLogsPath)) {
    while (path.ends_with('/')) path.pop_back();
    path += kLogsPath;
  }
  url.target = path + (query == std::string::npos ? "" : url.target.substr(query));
  out = std::move(url);
  return std::nullopt;
}

ValueProblem parse_otlp_source_template(std::string_view text, RecordTemplate& out) {
  RecordTemplate parsed;
  if (auto problem = RecordTemplate::parse(text, parsed)) return problem;
  if (parsed.reads(FieldPath::Root::kMessage) || parsed.reads(FieldPath::Root::kFields) ||
      parsed.reads(FieldPath::Root::kStream)) {
    return fmt::format(
        "{}: a resource attribute describes the container or file, so it cannot read .message, "
        ".fields or .stream (those are sent per record: the body, the attributes and "
        "log.iostream)",
        quote_for_message(text));
  }
  out = std::move(parsed);
  return std::nullopt;
}

ValueProblem parse_otlp_resource_attribute(std::string_view entry, OtlpAttributeSpec& out) {
  const std::size_t equals = entry.find('=');
  if (equals == std::string_view::npos || equals == 0) {
    return fmt::format(
        "expected name=template, e.g. \"deployment.environment.name=production\" or "
        "\"app={{{{ .labels.app }}}}\"; got {}",
        quote_for_message(entry));
  }
  OtlpAttributeSpec spec;
  spec.name = std::string(entry.substr(0, equals));
  if (auto problem = parse_otlp_source_template(entry.substr(equals + 1), spec.value)) {
    return problem;
  }
  out = std::move(spec);
  return std::nullopt;
}

void read_otlp_sink_options(YamlSection& section, OtlpSinkOptions& otlp) {
  section.read_string(
      {"endpoint",
       "The collector's OTLP/HTTP base URL: logs are posted to `<endpoint>/v1/logs` "
       "(`http://collector:4318` -> `/v1/logs`, `https://gw/otlp` -> `/otlp/v1/logs`; a path "
       "ending in `/v1/logs` is used as it is)."},
      otlp.endpoint, check_logs_url);
  section.read_enum<OtlpSinkOptions::Encoding>(
      {"encoding",
       "`protobuf` (`application/x-protobuf`, what collectors expect by default) or `json` "
       "(OTLP/JSON, `application/json`)."},
      otlp.encoding, kOtlpEncodingChoices);
  section.read_enum<OtlpSinkOptions::Compression>(
      {"compression", "`gzip` (`Content-Encoding: gzip`) or `none`."}, otlp.compression,
      kOtlpCompressionChoices);
  section.read_string_map(
      {"headers",
       "Extra request headers, `name: value`, e.g. `{X-Scope-OrgID: team-a}`. Use `${ENV}` "
       "references for secrets."},
      otlp.headers, check_http_header_name, check_http_header_text);
  section.read_string(
      {"username", "Basic auth user (with `password`). Use `${ENV}` references for secrets."},
      otlp.username, check_http_header_text);
  section.read_secret({"password", "Basic auth password; requires `username`."}, otlp.password,
                      check_http_header_text);
  section.read_secret(
      {"bearer_token", "Sent as `Authorization: Bearer <token>`; not together with `username`."},
      otlp.bearer_token, check_http_header_text);
  section.read_string(
      {"service_name",
       "The `service.name` resource attribute, a template over the record's source "
       "([docs/fields.md](fields.md)). Empty, or a template that renders empty: the compose "
       "service, else the container's name (a tailed file: its input's name)."},
      otlp.service_name, check_source_template);
  section.read_string_list(
      {"resource_attributes",
       "More resource attributes, `name=template` each, e.g. "
       "`[\"deployment.environment.name=prod\", \"app={{ .labels.app }}\"]`; an entry that "
       "renders empty is left out."},
      otlp.resource_attributes, check_resource_attribute);
  section.read_string({"hostname",
                       "The `host.name` resource attribute. Empty: the machine's host name (in a "
                       "container, set it, e.g. `${HOSTNAME}` of the host)."},
                      otlp.hostname);
  section.read_string(
      {"severity_field",
       "The structured field whose value sets `severity_text` and `severity_number` (the "
       "`level` processor writes `level`)."},
      otlp.severity_field);
  read_tls_client_options(section, otlp.tls);
  section.read_duration(
      {"connect_timeout", "Time allowed to resolve, connect and (https) handshake."},
      otlp.connect_timeout);
  section.read_duration(
      {"request_timeout", "Time allowed to send one export and read the collector's answer."},
      otlp.request_timeout);
  check_conflicts(section, otlp);
}

}  // namespace lc
