#include "app/config_reloader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "config/config_error.hpp"
#include "config/config_loader.hpp"
#include "core/health_registry.hpp"
#include "support/stored_lines.hpp"
#include "support/temp_directory.hpp"

namespace lc {
namespace {

using Clock = std::chrono::steady_clock;

using testing::stored_lines;

bool eventually(const std::function<bool()>& done) {
  const auto give_up = Clock::now() + std::chrono::seconds(10);
  while (!done() && Clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

// A files input over logs/*.log into the file store; `extra` is appended to the file.
class ConfigReloaderTest : public ::testing::Test {
 protected:
  ConfigReloaderTest() { std::filesystem::create_directories(dir_.path() + "/logs"); }

  LoadedConfig config(const std::string& extra) {
    const std::string text = "data_dir: " + dir_.path() +
                             "/data\n"
                             "shutdown_timeout: 5s\n"
                             "inputs:\n  docker: {enabled: false}\n"
                             "  app: {type: files, include: ['" +
                             dir_.path() + "/logs/*.log'], poll_interval: 50ms}\n" + extra;
    return LoadedConfig{parse_config_text(text, "cfg.yaml"), "hash-of:" + extra};
  }

  void write_lines(int first, int last) {
    std::ofstream file(dir_.path() + "/logs/app.log", std::ios::app);
    for (int i = first; i <= last; ++i) file << "line " << i << '\n';
  }

  std::string store() const { return dir_.path() + "/data/store"; }

  testing::TempDirectory dir_;
  MetricsRegistry metrics_;
  HealthRegistry health_;
};

TEST_F(ConfigReloaderTest, ReplacesTheTopologyAndTheNewOneResumesWhereTheOldOneStopped) {
  // The file store's own keys (its cursor is in the checkpoints): a whole rebuild each time.
  std::string next = "sinks: {file_store: {max_files: 30}}\n";
  ConfigReloader reloader([&] { return config(next); },
                          config("sinks: {file_store: {max_files: 20}}\n"), metrics_, health_,
                          nullptr);
  reloader.start();
  write_lines(1, 100);
  ASSERT_TRUE(eventually([&] { return stored_lines(store()) >= 100; }));
  for (int round = 0; round < 5; ++round) {
    write_lines(101 + round * 100, 200 + round * 100);  // while the reload drains and rebuilds
    const ReloadOutcome outcome = reloader.reload(reloader.request());
    EXPECT_TRUE(outcome.success) << outcome.error;
    EXPECT_EQ(reloader.status()["last_reload"]["applied"], "whole_rebuild");
    next = "sinks: {file_store: {max_files: " + std::to_string(31 + round) + "}}\n";
  }
  ASSERT_TRUE(eventually([&] { return stored_lines(store()) >= 600; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(stored_lines(store()), 600u);  // each line once: nothing re-read, nothing lost
  const nlohmann::json status = reloader.status();
  EXPECT_EQ(status["reloads"]["success"], 5);
  EXPECT_EQ(status["last_reload"]["result"], "success");
  EXPECT_EQ(status["hash"], "hash-of:sinks: {file_store: {max_files: 34}}\n");
  EXPECT_EQ(reloader.with_current<std::string>([](TopologyRunner& runner) {
    return runner.query<nlohmann::json>([](Topology& t) { return t.inputs_status(); })->dump();
  }),
            R"([{"active_streams":0,"name":"app","type":"files"}])");
  EXPECT_TRUE(reloader.stop());
}

TEST_F(ConfigReloaderTest, AnInvalidFileOrARestartOnlyChangeLeavesTheRunningTopology) {
  int loads = 0;
  std::string next;
  ConfigReloader reloader(
      [&] {
        ++loads;
        if (next.empty()) throw ConfigError("cfg.yaml:3:5: pipeline.batch_max_records: bad");
        return config(next);
      },
      config(""), metrics_, health_, nullptr);
  reloader.start();
  ReloadOutcome outcome = reloader.reload(reloader.request());
  EXPECT_FALSE(outcome.success);
  EXPECT_EQ(outcome.error, "cfg.yaml:3:5: pipeline.batch_max_records: bad");
  next = "server: {listen: '127.0.0.1:1'}\n";
  outcome = reloader.reload(reloader.request());
  EXPECT_EQ(outcome.error,
            "server.listen changed: it applies only at a restart (the running value stays)");
  EXPECT_EQ(reloader.status()["reloads"]["failure"], 2);
  EXPECT_EQ(reloader.status()["hash"], "hash-of:");
  EXPECT_NE(metrics_.render().find("log_capturer_config_last_reload_successful 0"),
            std::string::npos);
  write_lines(1, 10);  // the first topology still runs
  EXPECT_TRUE(eventually([&] { return stored_lines(store()) == 10; }));
  EXPECT_EQ(loads, 2);
}

TEST_F(ConfigReloaderTest, RequestsMadeWhileAReloadWaitsAreCoalesced) {
  int loads = 0;
  ConfigReloader reloader(
      [&] {
        ++loads;
        return config("");
      },
      config(""), metrics_, health_, nullptr);
  reloader.start();
  const std::uint64_t first = reloader.request();
  const std::uint64_t second = reloader.request();  // before the first one ran
  EXPECT_FALSE(reloader.reload(first).coalesced);
  EXPECT_TRUE(reloader.reload(second).coalesced);  // the first one read the file after it
  EXPECT_EQ(loads, 1);
  EXPECT_FALSE(reloader.reload(reloader.request()).coalesced);
  EXPECT_EQ(loads, 2);
}

TEST_F(ConfigReloaderTest, AProcessorChangeIsAppliedInPlaceWhileTheInputsGoOn) {
  std::string next = "processors:\n  - {type: filter, exclude: {message: '^line 1[0-9][0-9]$'}}\n";
  ConfigReloader reloader([&] { return config(next); }, config(""), metrics_, health_, nullptr);
  reloader.start();
  const auto running = [&] {
    return *reloader.with_current<TopologyRunner*>([](TopologyRunner& r) { return &r; });
  };
  TopologyRunner* const first = running();
  write_lines(1, 50);
  ASSERT_TRUE(eventually([&] { return stored_lines(store()) == 50; }));
  ReloadOutcome outcome = reloader.reload(reloader.request());
  ASSERT_TRUE(outcome.success) << outcome.error;
  EXPECT_EQ(reloader.status()["last_reload"]["applied"], "in_place");
  EXPECT_EQ(reloader.status()["last_reload"]["changes"], "processors and routes");
  EXPECT_EQ(running(), first);  // the same topology: inputs and sinks went on
  write_lines(51, 200);         // lines 100 to 199 are dropped by the new filter
  ASSERT_TRUE(eventually([&] { return stored_lines(store()) == 100; }));
  next = "# only a comment\n" + next;
  outcome = reloader.reload(reloader.request());
  ASSERT_TRUE(outcome.success) << outcome.error;
  EXPECT_EQ(reloader.status()["last_reload"]["applied"], "unchanged");
  EXPECT_EQ(running(), first);
  const std::string text = metrics_.render();
  EXPECT_NE(text.find("log_capturer_config_reload_applied_total{how=\"in_place\"} 1"),
            std::string::npos);
  EXPECT_NE(text.find("log_capturer_config_reload_applied_total{how=\"unchanged\"} 1"),
            std::string::npos);
  write_lines(201, 210);
  ASSERT_TRUE(eventually([&] { return stored_lines(store()) == 110; }));
  EXPECT_TRUE(reloader.stop());
  EXPECT_EQ(stored_lines(store()), 110u);
}

// A Loki sink whose server is down (nothing listens on its port): adding it, changing it and
// removing it apply in place at once, without waiting for it, and the file store goes on.
TEST_F(ConfigReloaderTest, ASinkThatIsDownIsAddedChangedAndRemovedInPlaceWithoutWaitingForIt) {
  const auto loki = [](int port, const std::string& batch) {
    return "sinks:\n  loki: {enabled: true, url: 'http://127.0.0.1:" + std::to_string(port) +
           "/loki/api/v1/push', retry: {initial: 50ms, max: 50ms}, batch: {max_records: " + batch +
           "}}\n";
  };
  std::string next = loki(1, "100");
  ConfigReloader reloader([&] { return config(next); }, config(""), metrics_, health_, nullptr);
  reloader.start();
  TopologyRunner* const first =
      *reloader.with_current<TopologyRunner*>([](TopologyRunner& r) { return &r; });
  const auto reload_in_place = [&](const std::string& changes) {
    const auto started = Clock::now();
    const ReloadOutcome outcome = reloader.reload(reloader.request());
    EXPECT_TRUE(outcome.success) << outcome.error;
    EXPECT_EQ(reloader.status()["last_reload"]["applied"], "in_place");
    EXPECT_EQ(reloader.status()["last_reload"]["changes"], changes);
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));  // shutdown_timeout is 5 s
    EXPECT_EQ(*reloader.with_current<TopologyRunner*>([](TopologyRunner& r) { return &r; }), first);
  };
  reload_in_place("sinks.loki (added)");
  write_lines(1, 50);  // to both: Loki retries, the store takes them
  ASSERT_TRUE(eventually([&] { return stored_lines(store()) == 50; }));
  next = loki(1, "200");
  reload_in_place("sinks.loki (delivery keys changed)");
  next = loki(2, "200");
  reload_in_place("sinks.loki (changed)");
  write_lines(51, 60);
  ASSERT_TRUE(eventually([&] { return stored_lines(store()) == 60; }));
  next = "";
  reload_in_place("sinks.loki (removed)");
  const auto dropped = [&] {
    const std::string text = metrics_.render();
    const std::string series = "log_capturer_sink_removed_records_dropped_total{sink=\"loki\"} ";
    const auto at = text.find(series);
    return at == std::string::npos ? -1.0 : std::stod(text.substr(at + series.size()));
  };
  EXPECT_EQ(dropped(), 60);  // what Loki never took, released for the checkpoint
  write_lines(61, 70);
  ASSERT_TRUE(eventually([&] { return stored_lines(store()) == 70; }));
  EXPECT_TRUE(reloader.stop());  // every checkpoint saved: nothing waits for the removed sink
  EXPECT_EQ(stored_lines(store()), 70u);
  EXPECT_EQ(metrics_.render().find("log_capturer_sink_queued_records{sink=\"loki\"}"),
            std::string::npos);
}

// A changed input is rebuilt alone, and resumes after what its predecessor submitted: lines
// written across the reloads are each stored once. Inputs added and removed likewise.
TEST_F(ConfigReloaderTest, InputsAreChangedAddedAndRemovedInPlaceEachLineOnce) {
  std::filesystem::create_directories(dir_.path() + "/more");
  const std::string more =
      "  more: {type: files, include: ['" + dir_.path() + "/more/*.log'], poll_interval: 50ms}\n";
  std::string next =
      "  app: {type: files, include: ['" + dir_.path() + "/logs/*.log'], poll_interval: 50ms}\n";
  const auto load = [&] {
    // Loki is down: no checkpoint moves, so a successor that resumed from the checkpoint
    // instead of after what was submitted would store every line again.
    const std::string text = "data_dir: " + dir_.path() +
                             "/data\nshutdown_timeout: 1s\nsinks:\n  loki: {enabled: true, url: "
                             "'http://127.0.0.1:1/loki/api/v1/push'}\ninputs:\n  docker: "
                             "{enabled: false}\n" +
                             next;
    return LoadedConfig{parse_config_text(text, "cfg.yaml"), text};
  };
  ConfigReloader reloader(load, load(), metrics_, health_, nullptr);
  reloader.start();
  TopologyRunner* const first =
      *reloader.with_current<TopologyRunner*>([](TopologyRunner& r) { return &r; });
  const auto app = [&](const std::string& interval) {
    return "  app: {type: files, include: ['" + dir_.path() +
           "/logs/*.log'], poll_interval: " + interval + "}\n";
  };
  const auto reload_in_place = [&](const std::string& changes) {
    const ReloadOutcome outcome = reloader.reload(reloader.request());
    ASSERT_TRUE(outcome.success) << outcome.error;
    EXPECT_EQ(reloader.status()["last_reload"]["applied"], "in_place");
    EXPECT_EQ(reloader.status()["last_reload"]["changes"], changes);
    EXPECT_EQ(*reloader.with_current<TopologyRunner*>([](TopologyRunner& r) { return &r; }), first);
  };
  int written = 0;
  for (int round = 0; round < 6; ++round) {
    write_lines(written + 1, written + 100);  // while the input is rebuilt
    written += 100;
    next = app(std::to_string(40 + round) + "ms");
    reload_in_place("inputs.app (changed)");
  }
  ASSERT_TRUE(eventually([&] { return stored_lines(store()) >= 600; }));
  next = app("45ms") + more;
  reload_in_place("inputs.more (added)");
  std::ofstream(dir_.path() + "/more/more.log") << "more 1\nmore 2\n";
  ASSERT_TRUE(eventually([&] { return stored_lines(store()) >= 602; }));
  next = app("45ms");
  reload_in_place("inputs.more (removed)");
  std::ofstream(dir_.path() + "/more/more.log", std::ios::app) << "more 3\n";  // not read
  write_lines(601, 610);
  ASSERT_TRUE(eventually([&] { return stored_lines(store()) >= 612; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_TRUE(reloader.stop());
  EXPECT_EQ(stored_lines(store()), 612u);  // each line once: none re-read, none lost
  EXPECT_EQ(reloader.status()["reloads"]["success"], 8);
}

TEST(RestartOnlyChanges, AreTheProcesssOwnResources) {
  const AgentConfig running;
  AgentConfig next = running;
  EXPECT_EQ(find_restart_only_change(running, next), std::nullopt);
  next.pipeline.batch_max_records = 7;  // a component's option: reloadable
  next.log_level = "debug";
  EXPECT_EQ(find_restart_only_change(running, next), std::nullopt);
  next.data_dir = "/elsewhere";
  EXPECT_EQ(find_restart_only_change(running, next).value_or("").substr(0, 16), "data_dir changed");
  next = running;
  next.server.metrics_listen = "127.0.0.1:9";
  EXPECT_EQ(find_restart_only_change(running, next).value_or("").substr(0, 29),
            "server.metrics_listen changed");
  next = running;
  next.dead_letters.max_bytes = 1;
  EXPECT_EQ(find_restart_only_change(running, next).value_or("").substr(0, 20),
            "dead_letters changed");
}

TEST(ConfigFileHash, IsTheSha256OfItsBytes) {
  EXPECT_EQ(hash_config_text("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace lc
