#include "processors/record_selector.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

namespace lc {
namespace {

LogRecord container_record(const std::string& name, LogStream stream = LogStream::kStdout,
                           std::string message = "hello") {
  auto container = std::make_shared<ContainerMetadata>();
  container->name = name;
  container->input = "containers";
  container->image = "nginx:1.25";
  container->labels = {{"tier", "front"}, {"com.docker.compose.service", "web"}};
  LogRecord record;
  record.container = container;
  record.stream = stream;
  record.message = std::move(message);
  return record;
}

LogRecord file_record(const std::string& path, std::string message = "hello",
                      std::string input = "files") {
  auto source = std::make_shared<FileSource>();
  source->path = path;
  source->input = std::move(input);
  source->labels = {{"app", "billing"}};
  LogRecord record;
  record.file_source = source;
  record.message = std::move(message);
  return record;
}

TEST(RecordSelectorTest, NothingSetMatchesEveryRecord) {
  const RecordSelector selector{RecordSelectorConfig{}};
  EXPECT_TRUE(selector.matches_everything());
  EXPECT_TRUE(selector.matches(container_record("a")));
  EXPECT_TRUE(selector.matches(file_record("/var/log/x.log")));
}

TEST(RecordSelectorTest, SourcesAndStreams) {
  RecordSelectorConfig config;
  config.sources = {"file"};
  EXPECT_FALSE(RecordSelector(config).matches(container_record("a")));
  EXPECT_TRUE(RecordSelector(config).matches(file_record("/x")));
  config = {};
  config.streams = {"stderr"};
  EXPECT_FALSE(RecordSelector(config).matches(container_record("a")));
  EXPECT_TRUE(RecordSelector(config).matches(container_record("a", LogStream::kStderr)));
}

TEST(RecordSelectorTest, SourcesNameInputTypesOrTheInputsThemselves) {
  const LogRecord nginx = file_record("/var/log/nginx/a.log", "x", "nginx");
  const LogRecord app = file_record("/var/log/app/a.log", "x", "app_logs");
  const LogRecord container = container_record("web");
  RecordSelectorConfig config;
  config.sources = {"nginx"};
  EXPECT_TRUE(RecordSelector(config).matches(nginx));
  EXPECT_FALSE(RecordSelector(config).matches(app));
  EXPECT_FALSE(RecordSelector(config).matches(container));
  config.sources = {"containers"};  // the docker input, by its name
  EXPECT_TRUE(RecordSelector(config).matches(container));
  EXPECT_FALSE(RecordSelector(config).matches(nginx));
  config.sources = {"files"};  // the type: every files input
  EXPECT_TRUE(RecordSelector(config).matches(nginx));
  EXPECT_TRUE(RecordSelector(config).matches(app));
  EXPECT_FALSE(RecordSelector(config).matches(container));
  config.sources = {"docker", "app_logs"};
  EXPECT_TRUE(RecordSelector(config).matches(container));
  EXPECT_TRUE(RecordSelector(config).matches(app));
  EXPECT_FALSE(RecordSelector(config).matches(nginx));
  // The other keys still apply to a record of a named input.
  config.streams = {"stderr"};
  EXPECT_FALSE(RecordSelector(config).matches(app));
}

TEST(RecordSelectorTest, ContainerKeysNeverMatchFileRecordsAndFilesNeverMatchContainers) {
  RecordSelectorConfig config;
  config.container_names = {"*"};
  EXPECT_TRUE(RecordSelector(config).matches(container_record("web-1")));
  EXPECT_FALSE(RecordSelector(config).matches(file_record("/x")));
  config = {};
  config.images = {"nginx:*"};
  EXPECT_TRUE(RecordSelector(config).matches(container_record("web-1")));
  EXPECT_FALSE(RecordSelector(config).matches(file_record("/x")));
  config = {};
  config.files = {"/var/log/*.log"};
  EXPECT_TRUE(RecordSelector(config).matches(file_record("/var/log/app/db.log")));  // * spans /
  EXPECT_FALSE(RecordSelector(config).matches(file_record("/var/log/db.txt")));
  EXPECT_FALSE(RecordSelector(config).matches(container_record("web-1")));
}

TEST(RecordSelectorTest, LabelsAreTheContainersOrTheFilesAndAnyItemMatches) {
  RecordSelectorConfig config;
  config.labels = {"tier=back", "com.docker.compose.service"};
  EXPECT_TRUE(RecordSelector(config).matches(container_record("a")));
  config.labels = {"tier=back"};
  EXPECT_FALSE(RecordSelector(config).matches(container_record("a")));
  config.labels = {"app=billing"};
  EXPECT_TRUE(RecordSelector(config).matches(file_record("/x")));
}

TEST(RecordSelectorTest, EveryKeySetMustMatch) {
  RecordSelectorConfig config;
  config.container_names = {"web-*"};
  config.streams = {"stderr"};
  config.message = "time(out)?";
  const RecordSelector selector(config);
  EXPECT_TRUE(selector.looks_at_record());
  EXPECT_TRUE(selector.matches(container_record("web-1", LogStream::kStderr, "a timeout here")));
  EXPECT_FALSE(selector.matches(container_record("web-1", LogStream::kStdout, "a timeout here")));
  EXPECT_FALSE(selector.matches(container_record("db-1", LogStream::kStderr, "a timeout here")));
  EXPECT_FALSE(selector.matches(container_record("web-1", LogStream::kStderr, "all fine")));
  EXPECT_TRUE(selector.matches_source(container_record("web-1", LogStream::kStderr, "all fine")));
}

TEST(RecordSelectorTest, MessageRegexIsSearchedAndMayHoldAnyByte) {
  RecordSelectorConfig config;
  config.message = R"(^\d{3} )";
  const RecordSelector selector(config);
  EXPECT_TRUE(selector.matches(container_record("a", LogStream::kStdout, "404 not found")));
  EXPECT_FALSE(selector.matches(container_record("a", LogStream::kStdout, "GET 404 ")));
  EXPECT_FALSE(
      selector.matches(container_record("a", LogStream::kStdout, std::string("\xff\0x", 3))));
}

// Backtracking engines take exponential time here (Boost.Regex gave up at 64 characters);
// RE2 answers in one pass, whatever the line.
TEST(RecordSelectorTest, APatternThatBacktracksCatastrophicallyElsewhereIsAnsweredInOnePass) {
  RecordSelectorConfig config;
  config.message = "(a+)+$";
  const RecordSelector selector(config);
  EXPECT_TRUE(selector.matches(container_record("a", LogStream::kStdout, "aaa")));
  config.message = "^(a+)+$";
  const RecordSelector anchored(config);
  EXPECT_FALSE(
      anchored.matches(container_record("a", LogStream::kStdout, std::string(1 << 20, 'a') + "b")));
}

TEST(RecordSelectorTest, FieldsMatchByTextAndEveryListedFieldMust) {
  RecordSelectorConfig config;
  config.fields = {{"level", {"error", "fatal"}}, {"http.status", {"500"}}};
  const RecordSelector selector(config);
  EXPECT_TRUE(selector.looks_at_record());
  LogRecord record = container_record("a", LogStream::kStdout, "x");
  EXPECT_FALSE(selector.matches(record));  // no fields at all
  FieldValue::Map http;
  http.push_back({"status", FieldValue(std::int64_t{500})});
  FieldValue::Map fields;
  fields.push_back({"level", FieldValue("fatal")});
  fields.push_back({"http", FieldValue(std::move(http))});
  record.fields = RecordFields(fields);
  EXPECT_TRUE(selector.matches(record));
  record.fields.edit().set("level", "info");
  EXPECT_FALSE(selector.matches(record));
  record.fields.edit().set("level", "error");
  record.fields.edit().erase("http");
  EXPECT_FALSE(selector.matches(record));  // an absent field does not match
}

TEST(RecordSelectorTest, AFieldHoldingAMapOrListMatchesNoValue) {
  RecordSelectorConfig config;
  config.fields = {{"level", {"[]", "{}", ""}}};
  const RecordSelector selector(config);
  LogRecord record = container_record("a", LogStream::kStdout, "x");
  record.fields.edit().set("level", FieldValue(FieldValue::List{}));
  EXPECT_FALSE(selector.matches(record));
  record.fields.edit().set("level", FieldValue(FieldValue::Map{}));
  EXPECT_FALSE(selector.matches(record));
}

TEST(RecordSelectorTest, NamedGroupsMayBeWrittenEitherWay) {
  RecordSelectorConfig config;
  config.message = "(?<code>[45]\\d\\d) (?P<word>\\w+)";
  const RecordSelector selector(config);
  EXPECT_TRUE(selector.matches(container_record("a", LogStream::kStdout, "got 404 missing")));
}

TEST(RecordSelectorTest, ABadRegexIsRefused) {
  RecordSelectorConfig config;
  config.message = "(unclosed";
  EXPECT_THROW(RecordSelector{config}, std::invalid_argument);
}

}  // namespace
}  // namespace lc
