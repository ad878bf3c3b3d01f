#include "sinks/loki/loki_sink_options.hpp"

#include <fmt/format.h>

#include <algorithm>
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

}  // namespace

ValueProblem parse_loki_push_url(std::string_view text, HttpUrl& out) {
  return parse_http_url(text, kDefaultPushPath, "http://loki:3100/loki/api/v1/push", out);
}

ValueProblem check_loki_push_url(std::string_view text) {
  HttpUrl ignored;
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
