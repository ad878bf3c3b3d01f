#include "app/config_file_watch.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include "app/config_reloader.hpp"
#include "support/temp_directory.hpp"

namespace lc {
namespace {

using namespace std::chrono_literals;

class ConfigFileWatchTest : public ::testing::Test {
 protected:
  ConfigFileWatchTest() : path_(dir_.path() + "/lc.yaml") {
    write("log_level: info\n");
    running_hash_ = hash_config_text("log_level: info\n");
  }

  // As an editor or a ConfigMap update does it: a new file renamed over the old one.
  void write(const std::string& text) {
    const std::string next = path_ + ".next";
    std::ofstream(next) << text;
    std::filesystem::rename(next, path_);
  }

  std::unique_ptr<ConfigFileWatch> watch() {
    return std::make_unique<ConfigFileWatch>(
        loop_.get_executor(), path_,
        [this] {
          return ConfigFileWatch::Running{settings_, running_hash_};
        },
        [this] { ++requests_; });
  }

  // Lets the watch look at the file `count` times (one timer each: not a matter of timing).
  void looks(int count) {
    for (int i = 0; i < count; ++i) ASSERT_EQ(loop_.run_one(), 1u);
  }

  testing::TempDirectory dir_;
  std::string path_;
  boost::asio::io_context loop_;
  ConfigWatchConfig settings_{true, std::chrono::milliseconds(20)};
  std::string running_hash_;
  int requests_ = 0;
};

TEST_F(ConfigFileWatchTest, NewContentRequestsOneReloadOnceTheFileHoldsStill) {
  const auto watching = watch();
  looks(5);
  EXPECT_EQ(requests_, 0);  // the running configuration's own file
  write("log_level: debug\n");
  looks(1);
  EXPECT_EQ(requests_, 0);  // changed at this look: read at the next, if it holds still
  looks(1);
  EXPECT_EQ(requests_, 1);
  looks(5);
  EXPECT_EQ(requests_, 1);  // requested already; the reload has not changed the hash yet
}

TEST_F(ConfigFileWatchTest, RefusedContentIsRequestedAgainOnlyWhenTheFileChangesAgain) {
  const auto watching = watch();
  looks(3);
  write("log_level: loud\n");  // the reload will refuse it: the running hash stays
  looks(5);
  EXPECT_EQ(requests_, 1);
  write("log_level: loud\n");  // the same content again (a touch)
  looks(5);
  EXPECT_EQ(requests_, 1);
  write("log_level: warn\n");  // fixed
  looks(5);
  EXPECT_EQ(requests_, 2);
  running_hash_ = hash_config_text("log_level: warn\n");  // that reload succeeded
  write("log_level: loud\n");  // the refused content again, after something else ran
  looks(5);
  EXPECT_EQ(requests_, 3);
}

TEST_F(ConfigFileWatchTest, ContentEqualToTheRunningConfigurationRequestsNothing) {
  const auto watching = watch();
  looks(3);
  write("log_level: info\n");  // a new file (new inode), the same bytes
  looks(5);
  EXPECT_EQ(requests_, 0);
}

TEST_F(ConfigFileWatchTest, AFileStillChangingAtEveryLookIsNotReadUntilItHoldsStill) {
  const auto watching = watch();
  looks(3);
  for (int i = 0; i < 10; ++i) {
    write("log_level: debug\n# " + std::to_string(i) + "\n");
    looks(1);
  }
  EXPECT_EQ(requests_, 0);
  looks(2);
  EXPECT_EQ(requests_, 1);
}

TEST_F(ConfigFileWatchTest, SwitchedOffItIgnoresChangesAndSwitchedOnItStartsFromTheFileThen) {
  settings_.watch = false;
  const auto watching = watch();
  looks(3);
  write("log_level: debug\n");
  looks(5);
  EXPECT_EQ(requests_, 0);
  settings_.watch = true;  // a reload switched it on, and the file is what that reload read
  running_hash_ = hash_config_text("log_level: debug\n");
  looks(5);
  EXPECT_EQ(requests_, 0);
  write("log_level: warn\n");
  looks(5);
  EXPECT_EQ(requests_, 1);
}

TEST_F(ConfigFileWatchTest, AnEditBetweenTheLoadAndTheFirstLookIsNotTakenForTheBaseline) {
  write("log_level: debug\n");  // the agent read "info" and is still starting
  const auto watching = watch();
  looks(1);
  EXPECT_EQ(requests_, 1);
}

// SIGTERM cancels the watch and expects the main loop to run out of work, also when the cancel
// lands while a look is under way or due (its timer expired, its handler queued).
TEST_F(ConfigFileWatchTest, CancelledDuringALookItLetsTheLoopEnd) {
  std::unique_ptr<ConfigFileWatch> watching;
  int settings_read = 0;
  watching = std::make_unique<ConfigFileWatch>(
      loop_.get_executor(), path_,
      [&] {
        if (++settings_read == 3) watching->cancel();  // the second look, from the loop
        return ConfigFileWatch::Running{settings_, running_hash_};
      },
      [] {});
  loop_.run_for(std::chrono::seconds(2));
  EXPECT_TRUE(loop_.stopped()) << "the watch kept the loop running after cancel()";
  EXPECT_EQ(settings_read, 3);
}

TEST_F(ConfigFileWatchTest, AMissingFileRequestsNothingUntilItIsBack) {
  const auto watching = watch();
  looks(3);
  std::filesystem::remove(path_);
  looks(5);
  EXPECT_EQ(requests_, 0);
  write("log_level: debug\n");
  looks(5);
  EXPECT_EQ(requests_, 1);
}

}  // namespace
}  // namespace lc
