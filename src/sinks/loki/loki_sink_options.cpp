#include "sinks/loki/loki_sink_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include "config/tls_client_reader.hpp"
#include "config/yaml_section.hpp"
#include "sinks/common/http_header_text.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<LokiSinkOptions::Format>, 2> kFormatChoices{{
    {"protobuf", LokiSinkOptions::Format::kProtobuf},
    {"json", LokiSinkOptions::Format::kJson},
}};

constexpr std::array<EnumChoice<LokiSinkOptions::LineFormat>, 2> kLineFormatChoices{{
    {"message", LokiSinkOptions::LineFormat::kMessage},
    {"json", LokiSinkOptions::LineFormat::kJson},
}};

constexpr std::string_view kDefaultPushPath = "/loki/api/v1/push";

// The bare field names an entry may be (short for name={{ .name }}).
constexpr std::array<std::string_view, 7> kNamedFields{
    "container_name",  "container_id",    "image", "stream",
    "compose_project", "compose_service", "host"};

}  // namespace

ValueProblem parse_loki_push_url(std::string_view text, HttpUrl& out) {
  return parse_http_url(text, kDefaultPushPath, "http://loki:3100/loki/api/v1/push", out);
}

ValueProblem check_loki_push_url(std::string_view text) {
  HttpUrl ignored;
  return parse_loki_push_url(text, ignored);
}

ValueProblem parse_loki_template(std::string_view text, RecordTemplate& out) {
  std::string translated;
  if (auto problem = translate_legacy_template(text, translated)) {
    return fmt::format("{} in {}", *problem, quote_for_message(text));
  }
  RecordTemplate parsed;
  if (auto problem = RecordTemplate::parse(translated, parsed)) return problem;
  if (parsed.reads(FieldPath::Root::kMessage)) {
    return fmt::format(
        "{}: a Loki label or structured metadata cannot read .message (one stream or value per "
        "line); use line_format, or a field a processor extracts",
        quote_for_message(text));
  }
  out = std::move(parsed);
  return std::nullopt;
}

ValueProblem check_loki_label_name(std::string_view name) {
  const auto invalid = [&](std::string_view why) -> ValueProblem {
    return fmt::format("invalid label name {}: {}", quote_for_message(name), why);
  };
  if (name.empty()) return invalid("it is empty");
  if (name.starts_with("__")) return invalid("names starting with '__' are reserved");
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) {
      return invalid("use letters, digits and '_', not starting with a digit");
    }
  }
  return std::nullopt;
}

ValueProblem parse_loki_field(std::string_view entry, LokiFieldSpec& out) {
  const std::size_t equals = entry.find('=');
  LokiFieldSpec spec;
  if (equals == std::string_view::npos) {
    if (std::find(kNamedFields.begin(), kNamedFields.end(), entry) == kNamedFields.end()) {
      return fmt::format(
          "expected name=template (e.g. app={{label:com.example.app}}) or one of the field "
          "names container_name, container_id, image, stream, compose_project, "
          "compose_service, host; got {}",
          quote_for_message(entry));
    }
    spec.name = std::string(entry);
    if (auto problem = parse_loki_template("{{ ." + std::string(entry) + " }}", spec.value)) {
      return problem;
    }
  } else {
    spec.name = std::string(entry.substr(0, equals));
    if (auto problem = check_loki_label_name(spec.name)) return problem;
    if (auto problem = parse_loki_template(entry.substr(equals + 1), spec.value)) return problem;
  }
  out = std::move(spec);
  return std::nullopt;
}

ValueProblem check_loki_field(std::string_view entry) {
  LokiFieldSpec ignored;
  return parse_loki_field(entry, ignored);
}

std::vector<LokiOptionsConflict> find_loki_options_conflicts(const LokiSinkOptions& config) {
  std::vector<LokiOptionsConflict> conflicts;
  const auto add = [&](std::string key, std::string problem) {
    conflicts.push_back({std::move(key), std::move(problem)});
  };
  if (config.gzip && config.format != LokiSinkOptions::Format::kJson) {
    add("gzip", "applies to format: json only (protobuf bodies are always snappy-compressed)");
  }
  if (!config.password.empty() && config.username.empty()) {
    add("password", "set username too: they are the basic-auth credentials");
  }
  if (!config.bearer_token.empty() && !config.username.empty()) {
    add("bearer_token", "use either username/password (basic auth) or bearer_token, not both");
  }
  if (config.tls.cert_file.empty() != config.tls.key_file.empty()) {
    add(config.tls.cert_file.empty() ? "key_file" : "cert_file",
        "cert_file and key_file go together (the client certificate and its private key)");
  }
  HttpUrl url;
  if (!parse_loki_push_url(config.url, url) && !url.https) {
    for (const auto& [key, value] :
         {std::pair{"ca_file", &config.tls.ca_file}, std::pair{"cert_file", &config.tls.cert_file},
          std::pair{"key_file", &config.tls.key_file}}) {
      if (!value->empty()) add(key, "only used with an https:// url");
    }
  }
  const auto find_twice = [&](const char* key, const std::vector<std::string>& entries) {
    std::vector<std::string> names;
    for (const std::string& entry : entries) {
      LokiFieldSpec spec;
      if (parse_loki_field(entry, spec)) continue;  // reported by its own check
      if (std::find(names.begin(), names.end(), spec.name) != names.end()) {
        add(key, fmt::format("{} is set twice", quote_for_message(spec.name)));
      }
      names.push_back(std::move(spec.name));
    }
    return names;
  };
  const std::vector<std::string> added = find_twice("labels", config.labels);
  find_twice("structured_metadata", config.structured_metadata);
  for (const std::string& dropped : config.drop_labels) {
    if (std::find(added.begin(), added.end(), dropped) != added.end()) {
      add("drop_labels",
          fmt::format("{} is both set in labels and dropped", quote_for_message(dropped)));
    }
  }
  return conflicts;
}

void read_loki_sink_options(YamlSection& section, LokiSinkOptions& loki) {
  section.read_string({"url",
                       "`http://` or `https://` host, optional port (80 / 443) and path. Without a "
                       "path (`http://loki:3100`) records go to `/loki/api/v1/push`. No "
                       "`user:password@`: use `username`/`password`."},
                      loki.url, check_loki_push_url);
  section.read_string(
      {"tenant_id",
       "Sent as `X-Scope-OrgID` (multi-tenant Loki, Grafana Cloud). Empty: no header."},
      loki.tenant_id, check_http_header_text);
  section.read_string(
      {"username", "Basic auth user (with `password`). Use `${ENV}` references for secrets."},
      loki.username, check_http_header_text);
  section.read_secret({"password", "Basic auth password; requires `username`."}, loki.password,
                      check_http_header_text);
  section.read_secret(
      {"bearer_token", "Sent as `Authorization: Bearer <token>`; not together with `username`."},
      loki.bearer_token, check_http_header_text);
  section.read_enum<LokiSinkOptions::Format>(
      {"format",
       "`protobuf`: Loki's native `PushRequest`, snappy-compressed (`application/x-protobuf`). "
       "`json`: the JSON push API (`application/json`)."},
      loki.format, kFormatChoices);
  section.read_bool({"gzip",
                     "`format: json` only: `Content-Encoding: gzip`. (Protobuf bodies are always "
                     "snappy-compressed.)"},
                    loki.gzip);
  section.read_enum<LokiSinkOptions::LineFormat>(
      {"line_format",
       "Each entry's line. `message`: the record's message. `json`: `{\"message\":\"...\",...}` "
       "with the record's structured fields ([docs/fields.md](fields.md)) merged in, typed, in "
       "their order (a field named `message` is left out: the line has the record's); Loki's "
       "`\\| json` extracts them."},
      loki.line_format, kLineFormatChoices);
  section.read_string({"hostname",
                       "Value of the `{host}` field. Empty: the machine's host name (in a "
                       "container, set it, e.g. `${HOSTNAME}` of the host)."},
                      loki.hostname);
  section.read_string_list(
      {"labels",
       "Extra stream labels, `name=template` each, added to the default labels or replacing one of "
       "the same name (see below). Example: `[\"app={label:com.example.app}\", \"job=docker\"]`."},
      loki.labels, check_loki_field);
  section.read_string_list(
      {"drop_labels", "Label names removed from the set, e.g. `[\"compose_project\", \"host\"]`."},
      loki.drop_labels, check_loki_label_name);
  section.read_string_list(
      {"structured_metadata",
       "Per-entry key/values that are not labels (no stream cardinality), same entry syntax as "
       "`labels`. A record's flags are added as `truncated=\"true\"` and `unparsed=\"true\"` when "
       "set. `[]` sends none, flags included (needed for Loki before 2.9)."},
      loki.structured_metadata, check_loki_field);
  read_tls_client_options(section, loki.tls);
  section.read_duration(
      {"connect_timeout", "Time allowed to resolve, connect and (https) handshake."},
      loki.connect_timeout);
  section.read_duration(
      {"request_timeout", "Time allowed to send one push and read Loki's answer."},
      loki.request_timeout);
  for (const LokiOptionsConflict& conflict : find_loki_options_conflicts(loki)) {
    section.fail(conflict.key, conflict.problem);
  }
}

}  // namespace lc
