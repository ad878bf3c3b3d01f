#include "sinks/splunk_hec/splunk_hec_sink_options.hpp"

#include <fmt/format.h>

#include <array>
#include <optional>

#include "config/tls_client_reader.hpp"
#include "config/yaml_section.hpp"
#include "core/record_template.hpp"
#include "sinks/common/http_client_keys.hpp"
#include "sinks/common/http_header_text.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<SplunkHecSinkOptions::Api>, 2> kApiChoices{{
    {"event", SplunkHecSinkOptions::Api::kEvent},
    {"raw", SplunkHecSinkOptions::Api::kRaw},
}};

constexpr std::array<EnumChoice<SplunkHecSinkOptions::EventFormat>, 2> kEventFormatChoices{{
    {"text", SplunkHecSinkOptions::EventFormat::kText},
    {"json", SplunkHecSinkOptions::EventFormat::kJson},
}};

constexpr std::array<EnumChoice<SplunkHecSinkOptions::Compression>, 2> kHecCompressionChoices{{
    {"gzip", SplunkHecSinkOptions::Compression::kGzip},
    {"none", SplunkHecSinkOptions::Compression::kNone},
}};

ValueProblem check_hec_endpoint(std::string_view text) {
  HttpUrl ignored;
  return parse_splunk_hec_url(text, SplunkHecSinkOptions::Api::kEvent, ignored);
}

ValueProblem check_hec_template(std::string_view text) {
  RecordTemplate ignored;
  return RecordTemplate::parse(text, ignored);
}

// The raw API takes metadata in the query: one request per distinct rendering, so the
// templates may read the record's source only.
ValueProblem check_raw_template(const SplunkHecSinkOptions& hec, std::string_view text) {
  RecordTemplate parsed;
  if (RecordTemplate::parse(text, parsed)) return std::nullopt;  // reported at its key
  if (hec.api == SplunkHecSinkOptions::Api::kRaw &&
      (parsed.reads(FieldPath::Root::kMessage) || parsed.reads(FieldPath::Root::kFields))) {
    return fmt::format("{}: with api: raw, metadata is per request: no .message or .fields",
                       quote_for_message(text));
  }
  return std::nullopt;
}

void check_conflicts(YamlSection& section, const SplunkHecSinkOptions& hec) {
  HttpUrl url;
  std::optional<bool> https;
  if (!parse_splunk_hec_url(hec.endpoint, hec.api, url)) https = url.https;
  const std::string none;
  check_http_client_keys(section, {none, none, none, hec.headers, hec.tls, https},
                         HttpCredentialKey{"token", hec.token});
  if (hec.token.empty() && !section.cataloguing() && !section.failed("token")) {
    section.fail("token", "is required: the HEC token (token_file for a mounted secret)");
  }
  const std::pair<const char*, const std::string*> templates[] = {{"host", &hec.host},
                                                                  {"source", &hec.source},
                                                                  {"sourcetype", &hec.sourcetype},
                                                                  {"index", &hec.index}};
  for (const auto& [key, text] : templates) {
    if (auto problem = check_raw_template(hec, *text)) section.fail(key, *problem);
  }
  if (hec.api == SplunkHecSinkOptions::Api::kRaw && !hec.fields.empty()) {
    section.fail("fields", "indexed fields need api: event (the raw API has no fields)");
  }
  if (hec.api == SplunkHecSinkOptions::Api::kRaw &&
      hec.event_format == SplunkHecSinkOptions::EventFormat::kJson) {
    section.fail("event_format", "json needs api: event (the raw API sends the messages)");
  }
  if (hec.acknowledgements && hec.ack_interval >= hec.ack_timeout) {
    section.fail("ack_interval", "must be shorter than ack_timeout");
  }
}

}  // namespace

ValueProblem parse_splunk_hec_url(std::string_view endpoint, SplunkHecSinkOptions::Api api,
                                  HttpUrl& out) {
  HttpUrl url;
  if (auto problem = parse_http_url(endpoint, "/", "https://splunk:8088", url)) return problem;
  if (url.target.find('?') != std::string::npos) {
    return fmt::format("{}: no query (the sink sets its own)", quote_for_message(endpoint));
  }
  std::string path = url.target;
  while (path.ends_with('/')) path.pop_back();
  constexpr std::string_view kCollector = "/services/collector";
  if (path.ends_with("/services/collector/ack")) {
    return fmt::format("{}: the collector's base URL, not its ack endpoint",
                       quote_for_message(endpoint));
  }
  for (const std::string_view suffix : {"/event", "/raw", ""}) {
    const std::string full = std::string(kCollector) + std::string(suffix);
    if (path.ends_with(full)) {
      path.resize(path.size() - full.size());
      break;
    }
  }
  url.target =
      path + std::string(kCollector) + (api == SplunkHecSinkOptions::Api::kRaw ? "/raw" : "/event");
  out = std::move(url);
  return std::nullopt;
}

void read_splunk_hec_sink_options(YamlSection& section, SplunkHecSinkOptions& hec) {
  section.read_string(
      {"endpoint",
       "The collector's base URL (`https://splunk:8088`); events go to "
       "`<endpoint>/services/collector/event` (or `/raw`), a path is a proxy's prefix."},
      hec.endpoint, check_hec_endpoint);
  section.read_enum<SplunkHecSinkOptions::Api>(
      {"api",
       "`event`: JSON events with their time and metadata; `raw`: the messages as lines, the "
       "metadata in the query (a request per distinct rendering)."},
      hec.api, kApiChoices);
  section.read_secret(
      {"token", "The HEC token, sent as `Authorization: Splunk <token>`.", "required"}, hec.token,
      check_http_header_text);
  section.read_string({"host", "The events' `host`, a template ([docs/fields.md](fields.md))."},
                      hec.host, check_hec_template);
  section.read_string(
      {"source", "Their `source`, a template (by default the container's name, or the file)."},
      hec.source, check_hec_template);
  section.read_string({"sourcetype", "Their `sourcetype`, a template; empty: the token's."},
                      hec.sourcetype, check_hec_template);
  section.read_string({"index", "Their `index`, a template; empty: the token's default."},
                      hec.index, check_hec_template);
  section.read_string_map(
      {"fields",
       "Indexed fields, `name: template` (api: event), e.g. `{container: \"{{ .container_name "
       "}}\"}`; an empty rendering leaves the field out."},
      hec.fields, {}, check_hec_template);
  section.read_enum<SplunkHecSinkOptions::EventFormat>(
      {"event_format",
       "`text`: `event` is the message; `json`: the record as the file store writes it."},
      hec.event_format, kEventFormatChoices);
  section.read_enum<SplunkHecSinkOptions::Compression>(
      {"compression", "`gzip` (`Content-Encoding: gzip`) or `none`."}, hec.compression,
      kHecCompressionChoices);
  section.read_bool(
      {"acknowledgements",
       "Indexer acknowledgement (on the token too): a batch counts as delivered only once Splunk "
       "says it is indexed."},
      hec.acknowledgements);
  section.read_duration({"ack_interval", "How often Splunk is asked about a pending batch."},
                        hec.ack_interval, std::chrono::milliseconds(50));
  section.read_duration(
      {"ack_timeout", "How long a batch waits for its acknowledgement before it is sent again."},
      hec.ack_timeout);
  section.read_string_map(
      {"headers", "Extra request headers, `name: value`. Use `${ENV}` references for secrets."},
      hec.headers, check_http_header_name, check_http_header_text);
  read_tls_client_options(section, hec.tls);
  section.read_duration(
      {"connect_timeout", "Time allowed to resolve, connect and (https) handshake."},
      hec.connect_timeout);
  section.read_duration(
      {"request_timeout", "Time allowed to send one request and read the answer."},
      hec.request_timeout);
  check_conflicts(section, hec);
}

}  // namespace lc
