#include "topology/topology_diff.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "config/config_loader.hpp"
#include "support/temp_directory.hpp"

namespace lc {
namespace {

using Names = std::vector<std::string>;

AgentConfig parse(const std::string& text) { return parse_config_text(text, "cfg.yaml"); }

const std::string kBase =
    "inputs:\n"
    "  docker: {enabled: false}\n"
    "  app: {type: files, include: ['/var/log/app/*.log']}\n"
    "  web: {type: files, include: ['/var/log/web/*.log']}\n"
    "sinks:\n"
    "  loki: {enabled: true, url: 'http://127.0.0.1:3100/loki/api/v1/push'}\n";

TEST(TopologyDiff, NothingChangesWhenOnlyCommentsOrLayoutDo) {
  const TopologyDiff diff = diff_topologies(parse(kBase), parse("# a comment\n" + kBase));
  EXPECT_TRUE(diff.empty());
  EXPECT_EQ(diff.describe(), "nothing");
}

TEST(TopologyDiff, ComponentsAreComparedByNameAndOptions) {
  const std::string next =
      "inputs:\n"
      "  docker: {enabled: false}\n"
      "  app: {type: files, include: ['/var/log/app/*.log'], poll_interval: 2s}\n"
      "  jobs: {type: files, include: ['/var/log/jobs/*.log']}\n"
      "sinks:\n"
      "  loki: {enabled: true, url: 'http://127.0.0.1:3100/loki/api/v1/push'}\n"
      "  archive: {type: loki, url: 'http://127.0.0.1:3101/loki/api/v1/push'}\n";
  const TopologyDiff diff = diff_topologies(parse(kBase), parse(next));
  EXPECT_EQ(diff.inputs.added, Names{"jobs"});
  EXPECT_EQ(diff.inputs.changed, Names{"app"});
  EXPECT_EQ(diff.inputs.removed, Names{"web"});
  EXPECT_EQ(diff.sinks.added, Names{"archive"});
  EXPECT_TRUE(diff.sinks.changed.empty());
  EXPECT_FALSE(diff.stages_changed);
  EXPECT_TRUE(diff.whole_rebuild_reasons.empty());
  EXPECT_EQ(diff.describe(),
            "inputs.jobs (added), inputs.app (changed), inputs.web (removed), sinks.archive "
            "(added)");
}

TEST(TopologyDiff, ADisabledComponentCountsAsAbsent) {
  std::string next = kBase;
  next.replace(next.find("web: {type: files,"), 18, "web: {type: files, enabled: false,");
  const TopologyDiff diff = diff_topologies(parse(kBase), parse(next));
  EXPECT_EQ(diff.inputs.removed, Names{"web"});
  EXPECT_TRUE(diff_topologies(parse(next), parse(next)).empty());
}

TEST(TopologyDiff, TheSinksDefaultsAndTheStagesAreTheirs) {
  // pipeline.batch_max_records is every sink's default: the sinks change, not the pipeline.
  TopologyDiff diff =
      diff_topologies(parse(kBase), parse(kBase + "pipeline: {batch_max_records: 100}\n"));
  EXPECT_EQ(diff.sinks_retuned, (Names{"file_store", "loki"}));
  EXPECT_TRUE(diff.sinks.empty());
  EXPECT_TRUE(diff.whole_rebuild_reasons.empty());
  EXPECT_EQ(diff.describe(),
            "sinks.file_store (delivery keys changed), sinks.loki (delivery keys changed)");
  // Its own keys: a new instance.
  std::string tenant = kBase;
  tenant.replace(tenant.find("/push'}"), 7, "/push', tenant_id: team-a}");
  diff = diff_topologies(parse(kBase), parse(tenant));
  EXPECT_EQ(diff.sinks.changed, Names{"loki"});
  EXPECT_TRUE(diff.sinks_retuned.empty());
  diff = diff_topologies(parse(kBase),
                         parse(kBase + "processors:\n  - {type: filter, exclude: {message: x}}\n"));
  EXPECT_TRUE(diff.stages_changed);
  EXPECT_EQ(diff.describe(), "processors and routes");
  diff = diff_topologies(parse(kBase), parse(kBase + "routes:\n  - {sinks: [loki]}\n"));
  EXPECT_TRUE(diff.stages_changed);
}

TEST(TopologyDiff, TheBoundsAndWhatEveryJsonFileReaderSharesAreTheirOwn) {
  TopologyDiff diff =
      diff_topologies(parse(kBase), parse(kBase + "pipeline: {memory_limit_bytes: 32MiB}\n"));
  EXPECT_TRUE(diff.bounds_changed);
  EXPECT_TRUE(diff.whole_rebuild_reasons.empty());
  EXPECT_EQ(diff.describe(), "pipeline bounds or checkpoint_interval");
  diff = diff_topologies(parse(kBase), parse(kBase + "checkpoint_interval: 5s\n"));
  EXPECT_TRUE(diff.bounds_changed);
  diff = diff_topologies(parse("inputs: {docker: {file_poll_interval: 2s}}\n"),
                         parse("inputs: {docker: {file_poll_interval: 3s}}\n"));
  EXPECT_EQ(diff.whole_rebuild_reasons,
            Names{"the docker input's file_poll_interval (every json-file reader's)"});
  // log_level, shutdown_timeout and config.* are the reloader's own: nothing to rebuild.
  EXPECT_TRUE(diff_topologies(parse(kBase), parse(kBase + "log_level: debug\nshutdown_timeout: "
                                                          "3s\nconfig: {watch: true}\n"))
                  .empty());
}

TEST(TopologyDiff, AMultilineChangeRebuildsTheInputsThatJoinLines) {
  const std::string java =
      "processors:\n  - {type: multiline, presets: [java]}\n  - {type: level}\n";
  const std::string python =
      "processors:\n  - {type: multiline, presets: [python]}\n  - {type: level}\n";
  const TopologyDiff diff = diff_topologies(parse(kBase + java), parse(kBase + python));
  EXPECT_EQ(diff.inputs.changed, (Names{"app", "web"}));  // enabled ones: docker is off
  EXPECT_TRUE(diff.stages_changed);
  // Another processor's change leaves the inputs running.
  const TopologyDiff level = diff_topologies(
      parse(kBase + java), parse(kBase + "processors:\n  - {type: multiline, presets: [java]}\n"
                                         "  - {type: level, target: lvl}\n"));
  EXPECT_TRUE(level.inputs.changed.empty());
  EXPECT_TRUE(level.stages_changed);
}

TEST(TopologyDiff, TheDockerInputChangesWithTheEngineConnection) {
  const std::string base = "docker: {host: 'unix:///run/a.sock'}\n";
  const TopologyDiff diff =
      diff_topologies(parse(base), parse("docker: {host: 'unix:///run/b.sock'}\n"));
  EXPECT_EQ(diff.inputs.changed, Names{"docker"});
}

TEST(TopologyDiff, ARenewedCertificateChangesTheSinkThatReadsIt) {
  testing::TempDirectory dir;
  const std::string ca = dir.path() + "/ca.pem";
  std::ofstream(ca) << "first certificate\n";
  const std::string text =
      "sinks:\n  loki: {enabled: true, url: 'https://loki.example:3100/loki/api/v1/push', ca_file: "
      "'" +
      ca + "'}\n";
  const AgentConfig before = parse(text);
  EXPECT_TRUE(diff_topologies(before, parse(text)).empty());
  std::ofstream(ca) << "renewed certificate\n";
  EXPECT_EQ(diff_topologies(before, parse(text)).sinks.changed, Names{"loki"});
}

}  // namespace
}  // namespace lc
