#include "inputs/json_file/file_change_watcher.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <functional>

#include "inputs/json_file/json_file_input_metrics.hpp"
#include "json_file_test_support.hpp"

namespace lc::json_file {
namespace {

using namespace std::chrono_literals;

// Runs the io_context until `done` holds or `limit` passes; returns whether it held.
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_one_for(10ms);
  }
  return done();
}

// Runs whatever is ready now plus `quiet` more time (to see that nothing else arrives).
void run_for(boost::asio::io_context& io, std::chrono::milliseconds quiet) {
  run_until(
      io, [] { return false; }, quiet);
}

class WatcherTest : public ::testing::Test {
 protected:
  boost::asio::io_context io_;
  testing::TempDir dir_;
  MetricsRegistry registry_;
  JsonFileInputMetrics metrics_{registry_};
};

TEST_F(WatcherTest, AWriteInAWatchedDirectoryCallsBack) {
  FileChangeWatcher watcher(io_.get_executor(), {}, &metrics_);
  ASSERT_TRUE(watcher.inotify_available());
  int calls = 0;
  auto subscription = watcher.watch(dir_.path().string(), "", [&] { ++calls; });
  EXPECT_FALSE(subscription.polled());
  EXPECT_EQ(metrics_.inotify_watches.value(), 1);
  testing::append(dir_.file("a-json.log"), "x\n");
  EXPECT_TRUE(run_until(io_, [&] { return calls > 0; }));
}

TEST_F(WatcherTest, RenamesAndDeletesCallBack) {
  testing::append(dir_.file("a-json.log"), "x\n");
  FileChangeWatcher watcher(io_.get_executor());
  int calls = 0;
  auto subscription = watcher.watch(dir_.path().string(), "a-json.log", [&] { ++calls; });
  std::filesystem::rename(dir_.file("a-json.log"), dir_.file("a-json.log.1"));
  EXPECT_TRUE(run_until(io_, [&] { return calls > 0; }));
  calls = 0;
  std::filesystem::remove(dir_.file("a-json.log.1"));
  EXPECT_TRUE(run_until(io_, [&] { return calls > 0; }));
}

TEST_F(WatcherTest, OnlyNamesWithThePrefixCallBack) {
  FileChangeWatcher watcher(io_.get_executor());
  int calls = 0;
  auto subscription = watcher.watch(dir_.path().string(), "mine-json.log", [&] { ++calls; });
  testing::append(dir_.file("hostconfig.json"), "{}");
  run_for(io_, 100ms);
  EXPECT_EQ(calls, 0);
  testing::append(dir_.file("mine-json.log"), "x\n");
  EXPECT_TRUE(run_until(io_, [&] { return calls > 0; }));
}

TEST_F(WatcherTest, OneWatchPerDirectoryRemovedWithItsLastSubscriber) {
  { FileChangeWatcher warm_up(io_.get_executor()); }  // asio's reactor opens its own fds once
  const std::size_t fds_before = testing::open_fd_count();
  FileChangeWatcher watcher(io_.get_executor(), {}, &metrics_);
  EXPECT_EQ(testing::open_fd_count(), fds_before + 1);  // the one inotify fd
  testing::TempDir other;
  int first = 0;
  int second = 0;
  auto a = watcher.watch(dir_.path().string(), "", [&] { ++first; });
  auto b = watcher.watch(dir_.path().string(), "", [&] { ++second; });
  auto c = watcher.watch(other.path().string(), "", [] {});
  EXPECT_EQ(watcher.inotify_watch_count(), 2u);
  EXPECT_EQ(testing::open_fd_count(), fds_before + 1);
  a.reset();
  EXPECT_EQ(watcher.inotify_watch_count(), 2u);
  testing::append(dir_.file("f"), "x");
  EXPECT_TRUE(run_until(io_, [&] { return second > 0; }));
  EXPECT_EQ(first, 0);
  b.reset();
  c.reset();
  EXPECT_EQ(watcher.inotify_watch_count(), 0u);
  EXPECT_EQ(metrics_.inotify_watches.value(), 0);
}

TEST_F(WatcherTest, ACallbackMayDropItsOwnSubscription) {
  FileChangeWatcher watcher(io_.get_executor());
  int calls = 0;
  FileChangeWatcher::Subscription subscription;
  subscription = watcher.watch(dir_.path().string(), "", [&] {
    ++calls;
    subscription.reset();
  });
  testing::append(dir_.file("f"), "x");
  testing::append(dir_.file("g"), "x");
  EXPECT_TRUE(run_until(io_, [&] { return calls > 0; }));
  run_for(io_, 50ms);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(watcher.inotify_watch_count(), 0u);
}

TEST_F(WatcherTest, PollingFallbackCallsBackPeriodically) {
  FileChangeWatcherOptions options;
  options.poll_interval = 20ms;
  options.force_polling = true;
  FileChangeWatcher watcher(io_.get_executor(), options, &metrics_);
  EXPECT_FALSE(watcher.inotify_available());
  int calls = 0;
  auto subscription = watcher.watch(dir_.path().string(), "", [&] { ++calls; });
  EXPECT_TRUE(subscription.polled());
  EXPECT_EQ(watcher.polled_count(), 1u);
  EXPECT_EQ(metrics_.polled_watches.value(), 1);
  EXPECT_TRUE(run_until(io_, [&] { return calls >= 3; }));
  subscription.reset();
  EXPECT_EQ(watcher.polled_count(), 0u);
  EXPECT_EQ(metrics_.polled_watches.value(), 0);
  const int seen = calls;
  run_for(io_, 60ms);
  EXPECT_EQ(calls, seen);
}

TEST_F(WatcherTest, MissingDirectoryFallsBackToPolling) {
  FileChangeWatcherOptions options;
  options.poll_interval = 20ms;
  FileChangeWatcher watcher(io_.get_executor(), options, &metrics_);
  int calls = 0;
  auto subscription = watcher.watch(dir_.file("not-there"), "", [&] { ++calls; });
  EXPECT_TRUE(subscription.polled());
  EXPECT_EQ(metrics_.watch_fallbacks.value(), 1u);
  EXPECT_TRUE(run_until(io_, [&] { return calls >= 2; }));
}

TEST_F(WatcherTest, DeletedDirectoryIsReportedThenPolled) {
  testing::TempDir parent;
  const std::string directory = parent.file("container");
  std::filesystem::create_directory(directory);
  FileChangeWatcherOptions options;
  options.poll_interval = 20ms;
  FileChangeWatcher watcher(io_.get_executor(), options);
  int calls = 0;
  auto subscription = watcher.watch(directory, "", [&] { ++calls; });
  std::filesystem::remove_all(directory);
  EXPECT_TRUE(run_until(io_, [&] { return subscription.polled(); }));
  EXPECT_GE(calls, 1);
  EXPECT_EQ(watcher.inotify_watch_count(), 0u);
}

TEST_F(WatcherTest, SubscriptionMayOutliveTheWatcher) {
  FileChangeWatcher::Subscription subscription;
  {
    FileChangeWatcher watcher(io_.get_executor());
    subscription = watcher.watch(dir_.path().string(), "", [] {});
  }
  run_for(io_, 20ms);  // the cancelled read completes harmlessly
  subscription.reset();
  EXPECT_FALSE(subscription.active());
}

}  // namespace
}  // namespace lc::json_file
