// The sink table: a sink type is its factory and one entry in a SinkTypes list. A type defined
// only here (its "folder" is this file) is read, checked, listed in the key catalogue, built,
// given its lane and disk buffer, and refused by name where it is not registered, with no
// change anywhere else.
#include "topology/sink_set.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "config/config_loader.hpp"
#include "config/yaml_section.hpp"
#include "metrics/metrics_registry.hpp"
#include "support/temp_directory.hpp"

namespace lc {
namespace {

using ::testing::HasSubstr;

// A test-only sink type: "tally" counts what it is given, with one option of its own.
struct TallyOptions : OptionsOf<TallyOptions> {
  std::uint32_t warn_after = 100;
  bool operator==(const TallyOptions&) const = default;
};

class TallySink : public Sink {
 public:
  TallySink(std::string name, TallyOptions options)
      : name_(std::move(name)), options_(std::move(options)) {}
  const std::string& name() const override { return name_; }
  boost::asio::awaitable<SinkWriteOutcome> write(std::span<const LogRecord> batch) override {
    records_ += batch.size();
    co_return SinkWriteOutcome::delivered();
  }
  const TallyOptions& options() const { return options_; }
  void start() override { events.push_back("start " + name_); }
  void stop(std::chrono::steady_clock::time_point) override { events.push_back("stop " + name_); }

  static inline std::vector<std::string> events;

 private:
  std::string name_;
  TallyOptions options_;
  std::size_t records_ = 0;
};

class TallySinkFactory : public SinkFactory {
 public:
  std::string_view type() const override { return "tally"; }
  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    auto options = std::make_shared<TallyOptions>();
    section.read_count("warn_after", options->warn_after);
    return options;
  }
  std::unique_ptr<Sink> build(const SinkSpec& spec, const SinkBuildContext&) const override {
    return std::make_unique<TallySink>(spec.name, spec.options_as<TallyOptions>());
  }
};

// The built-in table plus the test's type: the one line a new type adds.
const SinkTypes& types_with_tally() {
  static const TallySinkFactory tally;
  static const SinkTypes types = [] {
    std::vector<const SinkFactory*> all = built_in_sink_types().all();
    all.push_back(&tally);
    return SinkTypes(std::move(all));
  }();
  return types;
}

std::string error_of(std::string_view yaml, const SinkTypes& types) {
  try {
    parse_config_text(yaml, "cfg.yaml", ComponentTypes{types});
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

TEST(SinkTable, BuiltInTypesAreTheFileStoreLokiKafkaOtlpElasticsearchSplunkHecHttpSyslogConsole) {
  EXPECT_EQ(built_in_sink_types().names(),
            (std::vector<std::string>{"file_store", "loki", "kafka", "otlp", "elasticsearch",
                                      "splunk_hec", "http", "syslog", "console"}));
}

TEST(SinkTable, ANewTypeIsReadCheckedAndListedThroughItsFactoryAlone) {
  const std::string yaml =
      "sinks:\n  counts:\n    type: tally\n    warn_after: 7\n    batch: {max_records: 2}\n";
  const AgentConfig config =
      parse_config_text(yaml, "cfg.yaml", ComponentTypes{types_with_tally()});
  const SinkSpec* counts = config.find_sink("counts");
  ASSERT_NE(counts, nullptr);
  EXPECT_EQ(counts->type, "tally");
  EXPECT_EQ(counts->options_as<TallyOptions>().warn_after, 7u);
  EXPECT_EQ(counts->delivery.batch.max_records, 2u);  // a shared key, read by the loader
  EXPECT_EQ(error_of("sinks:\n  counts:\n    type: tally\n    warn_after: 0\n", types_with_tally()),
            "cfg.yaml:4:5: sinks.counts.warn_after: expected a whole number from 1 to "
            "4294967295, got '0'");
  EXPECT_THAT(
      error_of("sinks:\n  counts:\n    type: tally\n    warn_afterr: 1\n", types_with_tally()),
      HasSubstr("sinks.counts.warn_afterr: unknown key; did you mean 'warn_after'?"));
  const auto catalogue = config_key_paths(ComponentTypes{types_with_tally()});
  EXPECT_NE(std::find(catalogue.begin(), catalogue.end(), "sinks.tally.warn_after"),
            catalogue.end());
  // Where it is not registered, the type does not exist.
  EXPECT_EQ(error_of("sinks:\n  counts:\n    type: tally\n", built_in_sink_types()),
            "cfg.yaml:3:5: sinks.counts.type: unknown sink type 'tally' (types: 'file_store', "
            "'loki', 'kafka', 'otlp', 'elasticsearch', 'splunk_hec', 'http', 'syslog' or "
            "'console')");
  EXPECT_THAT(error_of("sinks:\n  counts:\n    type: taly\n", types_with_tally()),
              HasSubstr("unknown sink type 'taly'; did you mean 'tally'?"));
}

TEST(SinkTable, TheSinkSetBuildsEveryEnabledSinkWithItsLaneAndDiskBuffer) {
  testing::TempDirectory dir;
  const AgentConfig config =
      parse_config_text("data_dir: " + dir.path() +
                            "\nsinks:\n  counts:\n    type: tally\n    warn_after: 3\n"
                            "    disk_buffer: {enabled: true}\n    retry: {limit: 4}\n"
                            "  off:\n    type: tally\n    enabled: false\n",
                        "cfg.yaml", ComponentTypes{types_with_tally()});
  MetricsRegistry metrics;
  SinkSet sinks(config, metrics, nullptr, types_with_tally());
  EXPECT_EQ(sinks.names(), (std::vector<std::string>{"file_store", "counts"}));
  EXPECT_NE(sinks.file_store(), nullptr);
  const std::vector<SinkLane::Options> lanes = sinks.lanes();
  ASSERT_EQ(lanes.size(), 2u);
  const auto* tally = dynamic_cast<const TallySink*>(&lanes[1].sink);
  ASSERT_NE(tally, nullptr);
  EXPECT_EQ(tally->options().warn_after, 3u);
  EXPECT_EQ(lanes[1].delivery.retry.limit, 4u);
  ASSERT_NE(lanes[1].disk_buffer, nullptr);
  EXPECT_TRUE(std::filesystem::is_directory(dir / "buffers/counts"));
  EXPECT_EQ(lanes[0].disk_buffer, nullptr);
}

TEST(SinkTable, SinksStartInLaneOrderAndStopInReverse) {
  testing::TempDirectory dir;
  const AgentConfig config = parse_config_text(
      "data_dir: " + dir.path() +
          "\nsinks:\n  file_store: {enabled: false}\n  a: {type: tally}\n  b: {type: tally}\n",
      "cfg.yaml", ComponentTypes{types_with_tally()});
  MetricsRegistry metrics;
  SinkSet sinks(config, metrics, nullptr, types_with_tally());
  TallySink::events.clear();
  sinks.start_all();
  sinks.stop_all(std::chrono::steady_clock::now());
  EXPECT_EQ(TallySink::events,
            (std::vector<std::string>{"start a", "start b", "stop b", "stop a"}));
}

TEST(SinkTable, NoTwoSinksShareADirectory) {
  testing::TempDirectory dir;
  const AgentConfig config = parse_config_text(
      "data_dir: " + dir.path() + "\nsinks:\n  file_store:\n    directory: " + dir.path() +
          "/shared\n  counts:\n    type: tally\n    disk_buffer: {enabled: true, directory: " +
          dir.path() + "/shared}\n",
      "cfg.yaml", ComponentTypes{types_with_tally()});
  MetricsRegistry metrics;
  try {
    SinkSet sinks(config, metrics, nullptr, types_with_tally());
    ADD_FAILURE() << "two sinks in one directory were accepted";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(), HasSubstr("the file store and the disk buffer of sink counts would "
                                        "share the directory"));
  }
}

TEST(SinkTable, OptionsCompareByTypeAndValue) {
  TallyOptions a, b;
  EXPECT_TRUE(a.equals(b));
  b.warn_after = 1;
  EXPECT_FALSE(a.equals(b));
  const AgentConfig one = parse_config_text("sinks:\n  loki: {enabled: true}\n", "x");
  const AgentConfig two = parse_config_text("sinks:\n  loki: {enabled: true}\n", "y");
  const AgentConfig other =
      parse_config_text("sinks:\n  loki: {enabled: true, tenant_id: b}\n", "z");
  EXPECT_EQ(*one.find_sink("loki"), *two.find_sink("loki"));
  EXPECT_FALSE(*one.find_sink("loki") == *other.find_sink("loki"));
  EXPECT_FALSE(a.equals(*one.find_sink("loki")->options));
}

}  // namespace
}  // namespace lc
