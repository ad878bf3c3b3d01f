// The processors stage: each processor applies to the records its `when:` selects, the others
// passing it by in their order, and it counts what went in and out.
#include "processors/processor_chain.hpp"

#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "metrics/metrics_registry.hpp"

namespace lc {
namespace {

std::vector<LogRecord> mixed_streams() {
  auto container = std::make_shared<ContainerMetadata>();
  container->name = "web";
  std::vector<LogRecord> out;
  const std::vector<std::pair<LogStream, std::string>> lines = {
      {LogStream::kStdout, R"({"n":1})"},
      {LogStream::kStderr, R"({"n":2})"},
      {LogStream::kStderr, "debug: three"},
      {LogStream::kStdout, R"({"n":4})"},
      {LogStream::kStdout, "debug: five"}};
  for (const auto& [stream, message] : lines) {
    LogRecord& record = out.emplace_back();
    record.container = container;
    record.stream = stream;
    record.message = message;
  }
  return out;
}

TEST(ProcessorChain, WhenSelectsTheRecordsAProcessorSeesAndTheOthersKeepTheirPlace) {
  const AgentConfig config = parse_config_text(
      "processors:\n"
      "  - {type: parse_json, when: {streams: [stdout]}}\n"
      "  - {type: filter, name: no_debug, exclude: {message: '^debug'}, when: {streams: "
      "[stderr]}}\n",
      "cfg.yaml");
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  std::vector<LogRecord> batch = mixed_streams();
  chain.process(batch);
  std::vector<std::string> seen;
  for (const LogRecord& record : batch) {
    std::string fields;
    if (record.fields.get() != nullptr) record.fields.get()->append_json(fields);
    seen.push_back(record.message + " " + fields);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{R"({"n":1} {"n":1})", R"({"n":2} )",
                                            R"({"n":4} {"n":4})", "debug: five "}));
  const std::string text = metrics.render();
  for (const char* series :
       {"log_capturer_processor_records_in_total{processor=\"parse_json_1\"} 3",
        "log_capturer_processor_records_out_total{processor=\"parse_json_1\"} 3",
        "log_capturer_processor_errors_total{processor=\"parse_json_1\"} 1",
        "log_capturer_processor_records_in_total{processor=\"no_debug\"} 2",
        "log_capturer_processor_records_out_total{processor=\"no_debug\"} 1",
        "log_capturer_processor_records_dropped_total{processor=\"no_debug\"} 1"}) {
    EXPECT_NE(text.find(series), std::string::npos) << series << "\n" << text;
  }
}

TEST(ProcessorChain, AWhenThatSelectsEverythingIsRefused) {
  for (const char* when : {"{}", "{sources: []}", "{message: ''}"}) {
    EXPECT_THROW(
        parse_config_text(std::string("processors:\n  - {type: parse_json, when: ") + when + "}\n",
                          "cfg.yaml"),
        std::exception)
        << when;
  }
}

}  // namespace
}  // namespace lc
