#include "sinks/loki/loki_record_labeler.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace lc {
namespace {

LogRecord file_record(const std::string& path, const std::string& input) {
  LogRecord record;
  record.file_source = std::make_shared<const FileSource>(
      FileSource{path, {{"team", input == "nginx" ? "web" : "payments"}}, input});
  record.message = "x";
  return record;
}

TEST(LokiRecordLabeler, TemplatesOfTodaysSyntaxReadATailedFilesSourceAndEachFileHasItsOwn) {
  LokiSinkOptions config;
  config.labels = {"input={{ .input }}", "team={label:team}", "file={{ .file }}"};
  config.drop_labels = {"container_name", "compose_project", "compose_service", "host"};
  LokiRecordLabeler labeler(config, "node-1");
  const LogRecord access = file_record("/var/log/nginx/access.log", "nginx");
  const LogRecord app = file_record("/var/log/app/app.log", "app_logs");
  // Cached per source: the second file must not get the first one's labels.
  EXPECT_EQ(labeler.attributes_for(access).labels_text,
            R"({file="/var/log/nginx/access.log",input="nginx",stream="stdout",team="web"})");
  EXPECT_EQ(labeler.attributes_for(app).labels_text,
            R"({file="/var/log/app/app.log",input="app_logs",stream="stdout",team="payments"})");
  EXPECT_EQ(labeler.cached_entries(), 2u);
}

}  // namespace
}  // namespace lc
