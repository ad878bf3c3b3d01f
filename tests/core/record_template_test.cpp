#include "core/record_template.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace lc {
namespace {

LogRecord container_record() {
  auto container = std::make_shared<ContainerMetadata>();
  container->name = "web-1";
  container->id = "0123456789ab";
  container->image = "nginx:1.25";
  container->labels = {{"com.example.team", "payments"}};
  container->input = "docker";
  LogRecord record;
  record.container = container;
  record.stream = LogStream::kStderr;
  record.message = "GET / 500";
  return record;
}

std::string render(std::string_view text, const LogRecord& record,
                   const FieldValue* fields = nullptr) {
  RecordTemplate parsed;
  const auto problem = RecordTemplate::parse(text, parsed);
  EXPECT_FALSE(problem) << problem.value_or("");
  LogRecord with_fields = record;
  if (fields != nullptr) with_fields.fields = RecordFields(fields->as_map());
  return parsed.render(RecordContext{with_fields, "host-a"});
}

TEST(RecordTemplate, RendersMetadataLabelsAndTypedFields) {
  const LogRecord record = container_record();
  FieldValue fields;
  fields.set("level", "error");
  fields.set("http", FieldValue::Map{}).set("status", 500);
  fields.set("tags", FieldValue::List{"a", "b"});
  EXPECT_EQ(render("{{ .container_name }}-{{ .fields.level }}", record, &fields), "web-1-error");
  EXPECT_EQ(render("{{.stream}}/{{ .labels.\"com.example.team\" }}@{{ .host }}", record),
            "stderr/payments@host-a");
  EXPECT_EQ(render("status={{ .fields.http.status }} {{ .fields.tags }} {{ .fields.tags[1] }}",
                   record, &fields),
            "status=500 [\"a\",\"b\"] b");
  EXPECT_EQ(render("[{{ .fields.missing }}][{{ .file }}]", record, &fields), "[][]");
  EXPECT_EQ(render("{{ .input }}: {{ .message }}", record), "docker: GET / 500");
  EXPECT_EQ(render("no placeholder { at all }", record), "no placeholder { at all }");
  EXPECT_EQ(render("{{ \"{{\" }}{{ .image }}}}", record), "{{nginx:1.25}}");  // literals
}

TEST(RecordTemplate, ConstantAndMistakes) {
  RecordTemplate parsed;
  ASSERT_FALSE(RecordTemplate::parse("fixed", parsed));
  EXPECT_TRUE(parsed.constant());
  ASSERT_FALSE(RecordTemplate::parse("{{ .image }}", parsed));
  EXPECT_FALSE(parsed.constant());
  EXPECT_EQ(RecordTemplate::parse("{{ .image ", parsed).value_or(""),
            "a '{{' is not closed by '}}'");
  EXPECT_EQ(RecordTemplate::parse("{{ .nope }}", parsed).value_or("").substr(0, 30),
            "in {{ .nope }}: unknown root .");
}

TEST(RecordTemplate, LegacyLokiTemplatesTranslateToTheSameOutput) {
  const LogRecord record = container_record();
  std::string translated;
  ASSERT_FALSE(translate_legacy_template("{container_name}-{label:com.example.team}", translated));
  EXPECT_EQ(translated, "{{ .container_name }}-{{ .labels.\"com.example.team\" }}");
  EXPECT_EQ(render(translated, record), "web-1-payments");
  ASSERT_FALSE(translate_legacy_template("{{literal}} {host}", translated));
  EXPECT_EQ(translated, "{{ \"{\" }}literal} {{ .host }}");
  EXPECT_EQ(render(translated, record), "{literal} host-a");
  ASSERT_FALSE(translate_legacy_template("{{{image}}}", translated));  // "{" right before a field
  EXPECT_EQ(render(translated, record), "{nginx:1.25}");
  // Today's syntax passes through unchanged.
  ASSERT_FALSE(translate_legacy_template("{{ .image }}", translated));
  EXPECT_EQ(translated, "{{ .image }}");
  EXPECT_EQ(translate_legacy_template("{nope}", translated).value_or("").substr(0, 20),
            "unknown field {nope}");
  EXPECT_TRUE(translate_legacy_template("{image", translated));
}

}  // namespace
}  // namespace lc
