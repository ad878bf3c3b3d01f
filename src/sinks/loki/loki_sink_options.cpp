#include "sinks/loki/loki_sink_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

#include "config/tls_client_reader.hpp"
#include "config/yaml_section.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<LokiSinkOptions::Format>, 2> kFormatChoices{{
    {"protobuf", LokiSinkOptions::Format::kProtobuf},
    {"json", LokiSinkOptions::Format::kJson},
}};

constexpr std::string_view kDefaultPushPath = "/loki/api/v1/push";
constexpr std::string_view kLabelFieldPrefix = "label:";

struct NamedField {
  std::string_view name;
  LokiTemplatePart::Kind kind;
};

constexpr std::array<NamedField, 7> kNamedFields{{
    {"container_name", LokiTemplatePart::Kind::kContainerName},
    {"container_id", LokiTemplatePart::Kind::kContainerId},
    {"image", LokiTemplatePart::Kind::kImage},
    {"stream", LokiTemplatePart::Kind::kStream},
    {"compose_project", LokiTemplatePart::Kind::kComposeProject},
    {"compose_service", LokiTemplatePart::Kind::kComposeService},
    {"host", LokiTemplatePart::Kind::kHost},
}};

constexpr std::string_view kFieldList =
    "{container_name}, {container_id}, {image}, {stream}, {compose_project}, "
    "{compose_service}, {host} or {label:<key>}";

const NamedField* find_named_field(std::string_view name) {
  for (const NamedField& field : kNamedFields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

// The field between '{' and '}'.
ValueProblem parse_field(std::string_view field, LokiTemplatePart& out) {
  if (field.starts_with(kLabelFieldPrefix)) {
    const std::string_view key = field.substr(kLabelFieldPrefix.size());
    if (key.empty()) return "{label:} needs a container label key, e.g. {label:com.example.app}";
    out = {LokiTemplatePart::Kind::kContainerLabel, std::string(key)};
    return std::nullopt;
  }
  if (const NamedField* named = find_named_field(field)) {
    out = {named->kind, {}};
    return std::nullopt;
  }
  return fmt::format("unknown field {}: expected {}",
                     quote_for_message(fmt::format("{{{}}}", field)), kFieldList);
}

void append_literal(LokiTemplate& parts, char c) {
  if (parts.empty() || parts.back().kind != LokiTemplatePart::Kind::kLiteral) {
    parts.push_back({LokiTemplatePart::Kind::kLiteral, {}});
  }
  parts.back().text += c;
}

// The host of a URL authority: "name", "1.2.3.4" or "[v6]", with an optional ":port".
ValueProblem parse_authority(std::string_view authority, bool https, LokiPushUrl& out) {
  std::string_view host = authority;
  std::optional<std::string_view> port_text;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return "unclosed '[' in the IPv6 address";
    host = authority.substr(1, close - 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return "expected ':port' after the IPv6 address";
      port_text = rest.substr(1);
    }
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return "write an IPv6 address in brackets: [::1]";
  }
  if (host.empty()) return "no host";
  out.host = std::string(host);
  out.port = https ? 443 : 80;
  if (port_text) {
    unsigned value = 0;
    const char* end = port_text->data() + port_text->size();
    auto [parsed_end, error] = std::from_chars(port_text->data(), end, value);
    if (port_text->empty() || error != std::errc{} || parsed_end != end || value == 0 ||
        value > 65535) {
      return fmt::format("invalid port {}: expected 1 to 65535", quote_for_message(*port_text));
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  return std::nullopt;
}

}  // namespace

std::string LokiPushUrl::host_header() const {
  const bool v6 = host.find(':') != std::string::npos;
  return v6 ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

std::string LokiPushUrl::describe() const {
  return fmt::format("{}://{}{}", https ? "https" : "http", host_header(), target);
}

ValueProblem parse_loki_push_url(std::string_view text, LokiPushUrl& out) {
  const auto problem = [&](std::string_view why) -> ValueProblem {
    return fmt::format("expected a URL such as http://loki:3100/loki/api/v1/push ({}), got {}", why,
                       quote_for_message(text));
  };
  LokiPushUrl url;
  std::string_view rest;
  if (text.starts_with("http://")) {
    rest = text.substr(7);
  } else if (text.starts_with("https://")) {
    url.https = true;
    rest = text.substr(8);
  } else {
    return problem("the scheme must be http:// or https://");
  }
  if (rest.find('#') != std::string_view::npos) return problem("no '#fragment'");
  if (rest.find_first_of(" \t\r\n") != std::string_view::npos) return problem("no blanks");
  const std::size_t path_start = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, path_start);
  if (authority.find('@') != std::string_view::npos) {
    return problem("no user:password@ in the URL: set username and password");
  }
  if (auto bad = parse_authority(authority, url.https, url)) return problem(*bad);
  if (path_start == std::string_view::npos) {
    url.target = kDefaultPushPath;
  } else if (rest[path_start] == '?') {
    url.target = std::string(kDefaultPushPath) + std::string(rest.substr(path_start));
  } else {
    url.target = std::string(rest.substr(path_start));
    if (url.target == "/") url.target = kDefaultPushPath;
  }
  out = std::move(url);
  return std::nullopt;
}

ValueProblem check_loki_push_url(std::string_view text) {
  LokiPushUrl ignored;
  return parse_loki_push_url(text, ignored);
}

ValueProblem parse_loki_template(std::string_view text, LokiTemplate& out) {
  LokiTemplate parts;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        append_literal(parts, '}');
        ++i;
        continue;
      }
      return fmt::format("'}}' without a '{{' in {} (write '}}}}' for a literal brace)",
                         quote_for_message(text));
    }
    if (c != '{') {
      append_literal(parts, c);
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      append_literal(parts, '{');
      ++i;
      continue;
    }
    const std::size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos) {
      return fmt::format("unclosed '{{' in {} (write '{{{{' for a literal brace)",
                         quote_for_message(text));
    }
    LokiTemplatePart field;
    if (auto problem = parse_field(text.substr(i + 1, close - i - 1), field)) return problem;
    parts.push_back(std::move(field));
    i = close;
  }
  out = std::move(parts);
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
    const NamedField* named = find_named_field(entry);
    if (named == nullptr) {
      return fmt::format(
          "expected name=template (e.g. app={{label:com.example.app}}) or one of the field "
          "names container_name, container_id, image, stream, compose_project, "
          "compose_service, host; got {}",
          quote_for_message(entry));
    }
    spec.name = std::string(entry);
    spec.value = {{named->kind, {}}};
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
  LokiPushUrl url;
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
  section.read_string("url", loki.url, check_loki_push_url);
  section.read_string("tenant_id", loki.tenant_id, check_http_header_text);
  section.read_string("username", loki.username, check_http_header_text);
  section.read_secret("password", loki.password, check_http_header_text);
  section.read_secret("bearer_token", loki.bearer_token, check_http_header_text);
  section.read_enum<LokiSinkOptions::Format>("format", loki.format, kFormatChoices);
  section.read_bool("gzip", loki.gzip);
  section.read_string("hostname", loki.hostname);
  section.read_string_list("labels", loki.labels, check_loki_field);
  section.read_string_list("drop_labels", loki.drop_labels, check_loki_label_name);
  section.read_string_list("structured_metadata", loki.structured_metadata, check_loki_field);
  read_tls_client_options(section, loki.tls);
  section.read_duration("connect_timeout", loki.connect_timeout);
  section.read_duration("request_timeout", loki.request_timeout);
  for (const LokiOptionsConflict& conflict : find_loki_options_conflicts(loki)) {
    section.fail(conflict.key, conflict.problem);
  }
}

}  // namespace lc
