// sinks.loki: the syntax of its values (URL, label templates, entries) and the loader's checks.
#include "sinks/loki/loki_sink_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace lc {
namespace {

using ::testing::HasSubstr;

HttpUrl url_of(std::string_view text) {
  HttpUrl url;
  const ValueProblem problem = parse_loki_push_url(text, url);
  EXPECT_FALSE(problem) << text << ": " << *problem;
  return url;
}

std::string url_problem(std::string_view text) {
  HttpUrl url;
  const ValueProblem problem = parse_loki_push_url(text, url);
  EXPECT_TRUE(problem) << text;
  return problem.value_or("");
}

TEST(HttpUrl, ParsesSchemeHostPortAndPath) {
  const HttpUrl plain = url_of("http://loki:3100/loki/api/v1/push");
  EXPECT_FALSE(plain.https);
  EXPECT_EQ(plain.host, "loki");
  EXPECT_EQ(plain.port, 3100);
  EXPECT_EQ(plain.target, "/loki/api/v1/push");
  EXPECT_EQ(plain.host_header(), "loki:3100");
  EXPECT_EQ(plain.describe(), "http://loki:3100/loki/api/v1/push");

  const HttpUrl secure = url_of("https://logs.example.com");
  EXPECT_TRUE(secure.https);
  EXPECT_EQ(secure.port, 443);
  EXPECT_EQ(secure.target, "/loki/api/v1/push");  // no path: Loki's push path

  EXPECT_EQ(url_of("http://10.0.0.1").port, 80);
  EXPECT_EQ(url_of("http://10.0.0.1/").target, "/loki/api/v1/push");
  EXPECT_EQ(url_of("http://gw:8080/tenant-a/loki/api/v1/push").target,
            "/tenant-a/loki/api/v1/push");
  EXPECT_EQ(url_of("http://gw?x=1").target, "/loki/api/v1/push?x=1");

  const HttpUrl v6 = url_of("http://[::1]:3100/push");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 3100);
  EXPECT_EQ(v6.host_header(), "[::1]:3100");
  EXPECT_EQ(url_of("https://[fe80::1]").port, 443);
}

TEST(HttpUrl, RefusesWhatIsNotAnHttpUrl) {
  EXPECT_THAT(url_problem("loki:3100"), HasSubstr("the scheme must be http:// or https://"));
  EXPECT_THAT(url_problem("ftp://loki"), HasSubstr("http:// or https://"));
  EXPECT_THAT(url_problem("http://"), HasSubstr("no host"));
  EXPECT_THAT(url_problem("http://:3100"), HasSubstr("no host"));
  EXPECT_THAT(url_problem("http://loki:0"), HasSubstr("invalid port '0'"));
  EXPECT_THAT(url_problem("http://loki:99999"), HasSubstr("invalid port"));
  EXPECT_THAT(url_problem("http://loki:"), HasSubstr("invalid port"));
  EXPECT_THAT(url_problem("http://loki:31a"), HasSubstr("invalid port"));
  EXPECT_THAT(url_problem("http://::1:3100"), HasSubstr("brackets"));
  EXPECT_THAT(url_problem("http://[::1"), HasSubstr("unclosed '['"));
  EXPECT_THAT(url_problem("http://user:pw@loki"), HasSubstr("set username and password"));
  EXPECT_THAT(url_problem("http://loki/push#x"), HasSubstr("fragment"));
  EXPECT_THAT(url_problem("http://lo ki"), HasSubstr("no blanks"));
  EXPECT_THAT(url_problem("htp://loki"), HasSubstr("got 'htp://loki'"));
}

TEST(LokiTemplate, TheOlderSyntaxIsTranslatedToTodaysAtLoad) {
  RecordTemplate parsed;
  ASSERT_FALSE(parse_loki_template("app-{label:com.example.app}/{container_name}{{x}}", parsed));
  EXPECT_EQ(parsed.source(),
            "app-{{ .labels.\"com.example.app\" }}/{{ .container_name }}{{ \"{\" }}x}");
  for (const char* field :
       {"container_id", "image", "stream", "compose_project", "compose_service", "host"}) {
    ASSERT_FALSE(parse_loki_template("{" + std::string(field) + "}", parsed)) << field;
    EXPECT_EQ(parsed.source(), "{{ ." + std::string(field) + " }}");
  }
  ASSERT_FALSE(parse_loki_template("{{ .file }}:{{ .input }}", parsed));  // today's syntax
  EXPECT_EQ(parsed.source(), "{{ .file }}:{{ .input }}");
  ASSERT_FALSE(parse_loki_template("", parsed));
  EXPECT_TRUE(parsed.constant());
}

TEST(LokiTemplate, ReportsWhatIsWrong) {
  RecordTemplate parsed;
  EXPECT_THAT(parse_loki_template("{nme}", parsed).value_or(""),
              HasSubstr("unknown field {nme} (fields: container_name container_id"));
  EXPECT_THAT(parse_loki_template("a{container_name", parsed).value_or(""),
              HasSubstr("a '{' is not closed"));
  EXPECT_THAT(parse_loki_template("a}b", parsed).value_or(""), HasSubstr("a '}' without its '{'"));
  EXPECT_THAT(parse_loki_template("{{ .message }}", parsed).value_or(""),
              HasSubstr("cannot read .message (one stream or value per line)"));
  EXPECT_FALSE(parse_loki_template("{{ .fields.level }}", parsed));  // per distinct value
  EXPECT_THAT(parse_loki_template("{{ .nope }}", parsed).value_or(""),
              HasSubstr("unknown root .nope"));
}

TEST(LokiField, NameEqualsTemplateOrABareFieldName) {
  LokiFieldSpec spec;
  ASSERT_FALSE(parse_loki_field("app={label:app}", spec));
  EXPECT_EQ(spec.name, "app");
  EXPECT_EQ(spec.value.source(), "{{ .labels.app }}");
  ASSERT_FALSE(parse_loki_field("job=docker=yes", spec));  // the first '=' separates
  EXPECT_EQ(spec.value.source(), "docker=yes");
  ASSERT_FALSE(parse_loki_field("image", spec));
  EXPECT_EQ(spec.name, "image");
  EXPECT_EQ(spec.value.source(), "{{ .image }}");
  EXPECT_THAT(check_loki_field("label:app").value_or(""), HasSubstr("expected name=template"));
  EXPECT_THAT(check_loki_field("9lives=x").value_or(""), HasSubstr("invalid label name '9lives'"));
  EXPECT_THAT(check_loki_field("__name__=x").value_or(""), HasSubstr("reserved"));
  EXPECT_THAT(check_loki_field("=x").value_or(""), HasSubstr("it is empty"));
  EXPECT_THAT(check_loki_field("a-b=x").value_or(""), HasSubstr("letters, digits and '_'"));
  EXPECT_FALSE(check_loki_label_name("_ok9"));
}

TEST(LokiDefaults, EveryDefaultLabelParses) {
  for (const std::string_view entry : kDefaultLokiLabels) {
    EXPECT_FALSE(check_loki_field(entry)) << entry;
  }
}

std::string error_of(std::string_view loki_section) {
  try {
    parse_config_text("sinks:\n  loki:\n" + std::string(loki_section), "cfg.yaml");
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no ConfigError for:\n" << loki_section;
  return {};
}

TEST(LokiSinkOptionsLoader, DefaultsAreOffProtobufAndLowCardinality) {
  EXPECT_EQ(parse_config_text("", "empty.yaml").find_sink("loki"), nullptr);
  const AgentConfig config = parse_config_text("sinks:\n  loki: {}\n", "cfg.yaml");
  ASSERT_NE(config.find_sink("loki"), nullptr);
  EXPECT_FALSE(config.find_sink("loki")->enabled);  // the shorthand needs enabled: true
  const LokiSinkOptions& loki = config.find_sink("loki")->options_as<LokiSinkOptions>();
  EXPECT_EQ(loki.url, "http://127.0.0.1:3100/loki/api/v1/push");
  EXPECT_EQ(loki.format, LokiSinkOptions::Format::kProtobuf);
  EXPECT_FALSE(loki.gzip);
  EXPECT_TRUE(loki.labels.empty());
  EXPECT_EQ(loki.structured_metadata, (std::vector<std::string>{"container_id", "image"}));
  EXPECT_TRUE(loki.tls.verify);
  EXPECT_EQ(loki.connect_timeout, std::chrono::seconds(5));
  EXPECT_EQ(loki.request_timeout, std::chrono::seconds(30));
}

TEST(LokiSinkOptionsLoader, AnEmptyStructuredMetadataListTurnsItOff) {
  const auto config =
      parse_config_text("sinks:\n  loki:\n    structured_metadata: []\n", "cfg.yaml");
  EXPECT_TRUE(config.find_sink("loki")->options_as<LokiSinkOptions>().structured_metadata.empty());
}

TEST(LokiSinkOptionsLoader, ValuesAreCheckedWithTheirKey) {
  EXPECT_THAT(error_of("    url: loki:3100\n"),
              HasSubstr("cfg.yaml:3:5: sinks.loki.url: expected a URL such as"));
  EXPECT_THAT(error_of("    format: logfmt\n"),
              HasSubstr("sinks.loki.format: expected 'protobuf' or 'json', got 'logfmt'"));
  EXPECT_THAT(error_of("    labels: [\"app={nope}\"]\n"),
              HasSubstr("sinks.loki.labels[0]: unknown field {nope} (fields: container_name"));
  EXPECT_THAT(error_of("    drop_labels: [\"bad-name\"]\n"),
              HasSubstr("sinks.loki.drop_labels[0]: invalid label name 'bad-name'"));
  EXPECT_THAT(error_of("    structured_metadata: [\"label:x\"]\n"),
              HasSubstr("sinks.loki.structured_metadata[0]: expected name=template"));
  EXPECT_THAT(error_of("    request_timeout: 0ms\n"), HasSubstr("sinks.loki.request_timeout"));
  EXPECT_THAT(error_of("    lables: []\n"), HasSubstr("did you mean 'labels'?"));
}

TEST(LokiSinkOptionsLoader, HeaderValuesCannotBreakTheRequestAndAreNotEchoed) {
  const std::string message = error_of("    password: \"secret\\r\\nX-Evil: 1\"\n");
  EXPECT_THAT(message, HasSubstr("sinks.loki.password: must not contain control characters"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("secret")));
  EXPECT_THAT(error_of("    tenant_id: \"a\\nb\"\n"), HasSubstr("sinks.loki.tenant_id"));
}

TEST(LokiSinkOptionsLoader, RulesAcrossKeys) {
  EXPECT_THAT(error_of("    gzip: true\n"),
              HasSubstr("sinks.loki.gzip: applies to format: json only"));
  EXPECT_THAT(error_of("    password: x\n"), HasSubstr("sinks.loki.password: set username too"));
  EXPECT_THAT(error_of("    username: u\n    bearer_token: t\n"),
              HasSubstr("sinks.loki.bearer_token: use either username/password"));
  EXPECT_THAT(error_of("    url: https://loki\n    cert_file: /etc/group\n"),
              HasSubstr("sinks.loki.cert_file: cert_file and key_file go together"));
  EXPECT_THAT(error_of("    url: https://loki\n    key_file: /etc/hosts\n"),
              HasSubstr("sinks.loki.key_file: cert_file and key_file go together"));
  EXPECT_THAT(error_of("    ca_file: /etc/passwd\n"),
              HasSubstr("sinks.loki.ca_file: only used with an https:// url"));
  EXPECT_THAT(error_of("    labels: [\"app=a\", \"app=b\"]\n"),
              HasSubstr("sinks.loki.labels: 'app' is set twice"));
  EXPECT_THAT(error_of("    structured_metadata: [image, \"image={container_name}\"]\n"),
              HasSubstr("sinks.loki.structured_metadata: 'image' is set twice"));
  EXPECT_THAT(error_of("    labels: [\"app=a\"]\n    drop_labels: [app]\n"),
              HasSubstr("sinks.loki.drop_labels: 'app' is both set in labels and dropped"));
  // Fine together:
  const auto config = parse_config_text(
      "sinks:\n  loki:\n    url: https://loki\n    format: json\n    gzip: true\n"
      "    username: u\n    password: \"\"\n    cert_file: /etc/group\n    key_file: /etc/hosts\n"
      "    labels: [\"container_name=svc-{container_name}\"]\n    drop_labels: [host]\n",
      "ok.yaml");
  EXPECT_EQ(config.find_sink("loki")->options_as<LokiSinkOptions>().labels.size(), 1u);
}

}  // namespace
}  // namespace lc
