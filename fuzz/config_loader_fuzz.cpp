// libFuzzer target for the configuration loader: arbitrary text through environment
// expansion and the YAML schema. A ConfigError is the expected answer to bad input; any other
// exception escaping, or a crash, is a bug.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "config/config_error.hpp"
#include "config/config_loader.hpp"
#include "config/options_reading.hpp"
#include "config/yaml_parse_guard.hpp"
#include "inputs/docker/docker_input_options.hpp"
#include "inputs/file/file_input_config.hpp"
#include "processors/dedup/dedup_options.hpp"
#include "processors/fields/fields_options.hpp"
#include "processors/filter/filter_options.hpp"
#include "processors/level/level_options.hpp"
#include "processors/log_to_metric/log_to_metric_options.hpp"
#include "processors/lua/lua_options.hpp"
#include "processors/multiline/multiline_options.hpp"
#include "processors/parse_json/parse_json_options.hpp"
#include "processors/parse_logfmt/parse_logfmt_options.hpp"
#include "processors/parse_regex/parse_regex_options.hpp"
#include "processors/parse_syslog/parse_syslog_options.hpp"
#include "processors/parse_timestamp/parse_timestamp_options.hpp"
#include "processors/redact/redact_options.hpp"
#include "processors/sample/sample_options.hpp"
#include "processors/throttle/throttle_options.hpp"
#include "sinks/console/console_sink_options.hpp"
#include "sinks/elasticsearch/elasticsearch_sink_options.hpp"
#include "sinks/file_store/file_store_options.hpp"
#include "sinks/http/http_output_options.hpp"
#include "sinks/kafka/kafka_sink_options.hpp"
#include "sinks/loki/loki_sink_options.hpp"
#include "sinks/otlp/otlp_sink_options.hpp"
#include "sinks/splunk_hec/splunk_hec_sink_options.hpp"
#include "sinks/syslog/syslog_sink_options.hpp"

namespace lc {
namespace {

// A sink type's real option reader without its sink: the fuzzer reads configs and never builds,
// so it links the readers alone (fuzz/run compiles it from a handful of sources).
template <typename Options, void (*kRead)(YamlSection&, Options&)>
class OptionsOnly : public SinkFactory {
 public:
  explicit OptionsOnly(std::string_view type, bool shorthand_enabled = true,
                       bool present_unless_written = false)
      : type_(type), shorthand_enabled_(shorthand_enabled), present_(present_unless_written) {}
  std::string_view type() const override { return type_; }
  bool shorthand_enabled() const override { return shorthand_enabled_; }
  bool present_unless_written() const override { return present_; }
  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, kRead);
  }
  std::unique_ptr<Sink> build(const SinkSpec&, const SinkBuildContext&) const override {
    throw std::logic_error("the fuzzer builds no sink");
  }

 private:
  std::string_view type_;
  bool shorthand_enabled_;
  bool present_;
};

template <typename Options, void (*kRead)(YamlSection&, Options&)>
class ProcessorOptionsOnly : public ProcessorFactory {
 public:
  explicit ProcessorOptionsOnly(std::string_view type) : type_(type) {}
  std::string_view type() const override { return type_; }
  std::shared_ptr<const ComponentOptions> read_options(YamlSection& item) const override {
    return read_options_with(item, kRead);
  }
  std::unique_ptr<Processor> build(const ProcessorSpec&, ProcessorMetrics&) const override {
    throw std::logic_error("the fuzzer builds no processor");
  }
  std::string describe(const ProcessorSpec&) const override { return std::string(type_); }

 private:
  std::string_view type_;
};

template <typename Options, void (*kRead)(YamlSection&, Options&)>
class InputOptionsOnly : public InputFactory {
 public:
  InputOptionsOnly(std::string_view type, bool single, bool present, bool shorthand_enabled)
      : type_(type), single_(single), present_(present), shorthand_enabled_(shorthand_enabled) {}
  std::string_view type() const override { return type_; }
  bool single_instance() const override { return single_; }
  bool present_unless_written() const override { return present_; }
  bool shorthand_enabled() const override { return shorthand_enabled_; }
  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, kRead);
  }
  std::unique_ptr<Input> build(const InputSpec&, const InputBuildContext&) const override {
    throw std::logic_error("the fuzzer builds no input");
  }

 private:
  std::string_view type_;
  bool single_, present_, shorthand_enabled_;
};

}  // namespace

// Stand in for inputs/all_inputs.cpp, sinks/all_sinks.cpp and processors/all_processors.cpp, which
// would link every component: the same types, readers only.
const SinkTypes& built_in_sink_types() {
  static const OptionsOnly<FileStoreOptions, read_file_store_options> file_store("file_store", true,
                                                                                 true);
  static const OptionsOnly<LokiSinkOptions, read_loki_sink_options> loki("loki", false);
  static const OptionsOnly<KafkaSinkOptions, read_kafka_sink_options> kafka("kafka", false);
  static const OptionsOnly<OtlpSinkOptions, read_otlp_sink_options> otlp("otlp", false);
  static const OptionsOnly<ElasticsearchSinkOptions, read_elasticsearch_sink_options> elasticsearch(
      "elasticsearch", false);
  static const OptionsOnly<SplunkHecSinkOptions, read_splunk_hec_sink_options> splunk_hec(
      "splunk_hec", false);
  static const OptionsOnly<SyslogSinkOptions, read_syslog_sink_options> syslog("syslog", false);
  static const OptionsOnly<ConsoleSinkOptions, read_console_sink_options> console("console");
  static const OptionsOnly<HttpOutputOptions, read_http_output_options> http("http");
  static const SinkTypes types(
      {&file_store, &loki, &kafka, &otlp, &elasticsearch, &splunk_hec, &http, &syslog, &console});
  return types;
}

const InputTypes& built_in_input_types() {
  static const InputOptionsOnly<DockerInputConfig, read_docker_input_options> docker("docker", true,
                                                                                     true, true);
  static const InputOptionsOnly<FileInputConfig, read_file_input_config> files("files", false,
                                                                               false, false);
  static const InputTypes types({&docker, &files});
  return types;
}

const ProcessorTypes& built_in_processor_types() {
  static const ProcessorOptionsOnly<FilterOptions, read_filter_options> filter("filter");
  static const ProcessorOptionsOnly<ParseJsonOptions, read_parse_json_options> parse_json(
      "parse_json");
  static const ProcessorOptionsOnly<ParseLogfmtOptions, read_parse_logfmt_options> parse_logfmt(
      "parse_logfmt");
  static const ProcessorOptionsOnly<ParseRegexOptions, read_parse_regex_options> parse_regex(
      "parse_regex");
  static const ProcessorOptionsOnly<FieldsOptions, read_fields_options> fields("fields");
  static const ProcessorOptionsOnly<RedactOptions, read_redact_options> redact("redact");
  static const ProcessorOptionsOnly<ThrottleOptions, read_throttle_options> throttle("throttle");
  static const ProcessorOptionsOnly<SampleOptions, read_sample_options> sample("sample");
  static const ProcessorOptionsOnly<DedupOptions, read_dedup_options> dedup("dedup");
  static const ProcessorOptionsOnly<LevelOptions, read_level_options> level("level");
  static const ProcessorOptionsOnly<LogToMetricOptions, read_log_to_metric_options> to_metric(
      "log_to_metric");
  static const ProcessorOptionsOnly<LuaOptions, read_lua_options> lua("lua");
  static const ProcessorOptionsOnly<ParseSyslogOptions, read_parse_syslog_options> parse_syslog(
      "parse_syslog");
  static const ProcessorOptionsOnly<MultilineOptions, read_multiline_options> multiline(
      "multiline");
  static const ProcessorOptionsOnly<ParseTimestampOptions, read_parse_timestamp_options>
      parse_timestamp("parse_timestamp");
  static const ProcessorTypes types({&multiline, &filter, &parse_json, &parse_logfmt, &parse_regex,
                                     &fields, &redact, &throttle, &sample, &dedup, &level,
                                     &to_metric, &lua, &parse_syslog, &parse_timestamp});
  return types;
}

}  // namespace lc

// Before libFuzzer starts its threads (the guard's helper must be forked with one thread).
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lc::start_yaml_parse_guard();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)lc::parse_config_text(text, "fuzz.yaml");
  } catch (const lc::ConfigError&) {
  }
  return 0;
}
