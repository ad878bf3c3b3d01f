#include "inputs/file/file_input.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "file_test_support.hpp"
#include "inputs/file/file_input_metrics.hpp"
#include "inputs/file/file_path_claims.hpp"
#include "inputs/json_file/file_change_watcher.hpp"
#include "metrics/metrics_registry.hpp"

namespace lc::file_input::testing {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr std::chrono::hours kNever{24};

class FileInputTest : public ::testing::Test {
 protected:
  FileInputTest() { make_watcher(false); }

  void make_watcher(bool force_polling) {
    input_.reset();
    json_file::FileChangeWatcherOptions options;
    options.force_polling = force_polling;
    options.poll_interval = 20ms;
    watcher_.emplace(io_.get_executor(), options);
  }

  // Only inotify and explicit polling find changes, unless a test says otherwise.
  // What files_input.cpp makes of inputs.files.multiline.start_pattern: "^\d{4}-".
  FileInputOptions::MultilineChoice dated_lines_start(std::chrono::milliseconds timeout) {
    multiline::RuleChoice rules;
    rules.start = R"(^\d{4}-)";
    multiline::StreamJoining joining{multiline::MultilineRules::compile(rules), {}, {}};
    joining.limits.flush_timeout = timeout;
    joining.counters.joined = &metrics_.multiline_records;
    return [joining](const LogRecord&) { return std::optional(joining); };
  }

  FileInputOptions options_for(std::vector<std::string> include) {
    FileInputOptions options;
    options.include = std::move(include);
    options.poll_interval = kNever;
    options.rescan_interval = kNever;
    options.labels = {{"source", "files"}};
    return options;
  }

  FileInputHooks hooks() {
    FileInputHooks hooks;
    hooks.submit = [this](std::vector<LogRecord> records) -> asio::awaitable<void> {
      ++submits_;
      for (LogRecord& record : records) {
        if (!record.file_source) throw std::logic_error("a record without its file");
        by_path_[record.file_source->path].push_back(record.message);
        received_.push_back(std::move(record));
      }
      max_open_seen_ = std::max(max_open_seen_, input_ ? input_->open_files() : 0);
      if (block_submits_) {
        asio::steady_timer gate(io_.get_executor(), asio::steady_timer::time_point::max());
        gate_ = &gate;
        boost::system::error_code ignored;
        co_await gate.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        gate_ = nullptr;
      }
    };
    hooks.resume_points = [this](const std::string& path) -> std::vector<FileResumePoint> {
      const auto found = resume_points_.find(path);
      if (found == resume_points_.end()) return {};
      return found->second;
    };
    hooks.on_file_gone = [this](const std::string& path) { gone_.push_back(path); };
    hooks.on_file_finished = [this](const std::string& path, FileIdentity file) {
      finished_.push_back({path, file, messages(received_)});
    };
    return hooks;
  }

  void start(FileInputOptions options) {
    input_.emplace(io_.get_executor(), *watcher_, std::move(options), hooks(), &metrics_);
    input_->start();
  }

  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      if (io_.stopped()) io_.restart();
      io_.run_one_for(10ms);
    }
    return done();
  }

  void run_for(std::chrono::milliseconds quiet) {
    run_until([] { return false; }, quiet);
  }

  bool received_count(std::size_t n, std::chrono::milliseconds limit = 5s) {
    return run_until([&] { return received_.size() >= n; }, limit);
  }

  asio::io_context io_;
  TempDirectory dir_;
  MetricsRegistry registry_;
  FileInputMetrics metrics_{registry_};
  std::optional<json_file::FileChangeWatcher> watcher_;
  std::optional<FileInput> input_;

  std::vector<LogRecord> received_;
  std::map<std::string, std::vector<std::string>> by_path_;
  std::map<std::string, std::vector<FileResumePoint>> resume_points_;
  std::vector<std::string> gone_;
  struct Finished {
    std::string path;
    FileIdentity file;
    std::vector<std::string> received_before;
  };
  std::vector<Finished> finished_;
  std::size_t submits_ = 0;
  std::size_t max_open_seen_ = 0;
  bool block_submits_ = false;
  asio::steady_timer* gate_ = nullptr;
};

TEST_F(FileInputTest, FollowsWhatTheGlobsMatchButNotTheExcluded) {
  std::filesystem::create_directories(dir_ / "a");
  std::filesystem::create_directories(dir_ / "b");
  append(dir_ / "a/app.log", "a1\n");
  append(dir_ / "b/app.log", "b1\n");
  append(dir_ / "b/skip-me.log", "never\n");
  append(dir_ / "a/notes.txt", "never\n");
  append(dir_ / "c.log", "never\n");  // directory c does not match {a,b}
  FileInputOptions options = options_for({dir_.path() + "/{a,b}/*.log"});
  options.exclude = {"*/skip-*"};
  start(options);
  ASSERT_TRUE(received_count(2));
  run_for(100ms);
  EXPECT_EQ(received_.size(), 2u);
  EXPECT_THAT(by_path_[dir_ / "a/app.log"], ElementsAre("a1"));
  EXPECT_THAT(by_path_[dir_ / "b/app.log"], ElementsAre("b1"));
  EXPECT_EQ(received_[0].file_source->labels.at("source"), "files");
  EXPECT_EQ(input_->files_followed(), 2u);
  EXPECT_EQ(metrics_.files_watched.value(), 2);

  append(dir_ / "a/app.log", "a2\n");  // followed through inotify
  ASSERT_TRUE(received_count(3));
  EXPECT_THAT(by_path_[dir_ / "a/app.log"], ElementsAre("a1", "a2"));
}

TEST_F(FileInputTest, NewFilesArePickedUpThroughInotify) {
  ASSERT_TRUE(watcher_->inotify_available());
  start(options_for({dir_.path() + "/*.log"}));
  run_for(50ms);
  EXPECT_EQ(input_->files_followed(), 0u);
  append(dir_ / "late.log", "hello\n");
  ASSERT_TRUE(received_count(1));
  EXPECT_EQ(received_[0].message, "hello");
  append(dir_ / "later.log", "again\n");
  ASSERT_TRUE(received_count(2));
  EXPECT_EQ(received_[1].file_source->path, dir_ / "later.log");
}

TEST_F(FileInputTest, NewFilesArePickedUpByPollingWithoutInotify) {
  make_watcher(/*force_polling=*/true);
  ASSERT_FALSE(watcher_->inotify_available());
  start(options_for({dir_.path() + "/*.log"}));
  run_for(50ms);
  append(dir_ / "late.log", "hello\n");
  ASSERT_TRUE(received_count(1));
  append(dir_ / "late.log", "more\n");
  ASSERT_TRUE(received_count(2));
  EXPECT_THAT(by_path_[dir_ / "late.log"], ElementsAre("hello", "more"));
}

TEST_F(FileInputTest, RescanIntervalFindsFilesInDirectoriesCreatedLater) {
  FileInputOptions options = options_for({dir_.path() + "/*/app.log"});
  options.rescan_interval = 50ms;  // a new directory has no watch yet
  start(options);
  run_for(20ms);
  std::filesystem::create_directories(dir_ / "new");
  append(dir_ / "new/app.log", "found\n");
  ASSERT_TRUE(received_count(1));
  EXPECT_EQ(received_[0].message, "found");
}

TEST_F(FileInputTest, MoreFilesThanMaxOpenFilesAreReadInTurns) {
  constexpr int kFiles = 12;
  constexpr std::size_t kMaxOpen = 3;
  for (int i = 0; i < kFiles; ++i) append(dir_ / ("f" + std::to_string(i) + ".log"), "first\n");
  const std::size_t fds_before = open_fd_count();
  FileInputOptions options = options_for({dir_.path() + "/*.log"});
  options.max_open_files = kMaxOpen;
  start(options);
  ASSERT_TRUE(received_count(kFiles));
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < kFiles; ++i) {
      append(dir_ / ("f" + std::to_string(i) + ".log"), "round " + std::to_string(round) + "\n");
    }
    ASSERT_TRUE(received_count(kFiles * (round + 2))) << "round " << round;
    EXPECT_LE(open_fd_count(), fds_before + kMaxOpen);
  }
  for (int i = 0; i < kFiles; ++i) {
    EXPECT_THAT(by_path_[dir_ / ("f" + std::to_string(i) + ".log")],
                ElementsAre("first", "round 0", "round 1", "round 2"));
  }
  EXPECT_LE(max_open_seen_, kMaxOpen);
  EXPECT_LE(input_->open_files(), kMaxOpen);
  EXPECT_EQ(metrics_.open_files.value(), static_cast<std::int64_t>(input_->open_files()));
  EXPECT_GT(metrics_.closed_for_open_limit.value(), 0u);
}

TEST_F(FileInputTest, ThousandsOfFilesComingAndGoingLeaveNoFdOrWatchBehind) {
  constexpr int kWaves = 5;
  constexpr int kFilesPerWave = 400;
  const std::size_t fds_before = open_fd_count();
  FileInputOptions options = options_for({dir_.path() + "/*.log"});
  options.max_open_files = 64;
  options.reader.rotate_wait = 20ms;
  start(options);
  for (int wave = 0; wave < kWaves; ++wave) {
    const auto name = [&](int i) {
      return dir_ / ("w" + std::to_string(wave) + "-" + std::to_string(i) + ".log");
    };
    for (int i = 0; i < kFilesPerWave; ++i) append(name(i), "line " + std::to_string(i) + "\n");
    ASSERT_TRUE(received_count(static_cast<std::size_t>((wave + 1) * kFilesPerWave), 20s))
        << "wave " << wave << ": " << received_.size();
    EXPECT_LE(input_->open_files(), options.max_open_files);
    for (int i = 0; i < kFilesPerWave; ++i) std::filesystem::remove(name(i));
    ASSERT_TRUE(run_until([&] { return metrics_.files_watched.value() == 0; }, 20s))
        << "wave " << wave << ": " << metrics_.files_watched.value() << " files still followed";
    ASSERT_TRUE(run_until([&] { return open_fd_count() == fds_before; }, 5s))
        << "wave " << wave << ": " << open_fd_count() - fds_before << " fds left open";
  }
  EXPECT_EQ(gone_.size(), static_cast<std::size_t>(kWaves * kFilesPerWave));
  EXPECT_EQ(metrics_.open_files.value(), 0);
}

TEST_F(FileInputTest, NothingIsReadFromAFileWhileItsSubmitIsPending) {
  append(dir_ / "app.log", "1\n");
  block_submits_ = true;
  start(options_for({dir_.path() + "/*.log"}));
  ASSERT_TRUE(received_count(1));
  ASSERT_NE(gate_, nullptr);
  append(dir_ / "app.log", "2\n3\n");
  run_for(200ms);
  EXPECT_EQ(received_.size(), 1u);
  EXPECT_EQ(metrics_.lines.value(), 1u);  // not even read
  block_submits_ = false;
  gate_->cancel();
  ASSERT_TRUE(received_count(3));
  EXPECT_THAT(by_path_[dir_ / "app.log"], ElementsAre("1", "2", "3"));
}

TEST_F(FileInputTest, ResumesFromTheSavedPositionAndReportsGoneFiles) {
  const std::string path = dir_ / "app.log";
  append(path, numbered_lines(0, 5));
  {
    start(options_for({dir_.path() + "/*.log"}));
    ASSERT_TRUE(received_count(5));
    resume_points_[path] = {
        FileResumePoint{received_[2].file_position, received_[2].file_fingerprint, {}, {}}};
    input_.reset();
    received_.clear();
    by_path_.clear();
  }
  append(path, numbered_lines(5, 6));
  const std::size_t fds_before = open_fd_count();
  start(options_for({dir_.path() + "/*.log"}));
  ASSERT_TRUE(received_count(3));
  run_for(50ms);
  EXPECT_EQ(by_path_[path], numbered_messages(3, 6));
  EXPECT_EQ(open_fd_count(), fds_before + 1);

  std::filesystem::remove(path);
  ASSERT_TRUE(run_until([&] { return !gone_.empty(); }));
  EXPECT_THAT(gone_, ElementsAre(path));
  EXPECT_EQ(input_->files_followed(), 0u);
  EXPECT_EQ(open_fd_count(), fds_before);
  EXPECT_EQ(metrics_.files_watched.value(), 0);
  EXPECT_EQ(metrics_.open_files.value(), 0);
}

TEST_F(FileInputTest, StartAtEndAppliesOnlyToFilesPresentAtStartUp) {
  append(dir_ / "old.log", "history\n");
  FileInputOptions options = options_for({dir_.path() + "/*.log"});
  options.start_at = TailedFileReader::StartAt::kEnd;
  start(options);
  run_for(50ms);
  EXPECT_THAT(received_, IsEmpty());
  append(dir_ / "old.log", "new in old\n");
  append(dir_ / "new.log", "all of new\n");  // appeared later: read from its start
  ASSERT_TRUE(received_count(2));
  EXPECT_THAT(by_path_[dir_ / "old.log"], ElementsAre("new in old"));
  EXPECT_THAT(by_path_[dir_ / "new.log"], ElementsAre("all of new"));
}

TEST_F(FileInputTest, JoinsMultilineRecordsAndFlushesTheLastOneOnItsTimeout) {
  FileInputOptions options = options_for({dir_.path() + "/*.log"});
  options.multiline = dated_lines_start(100ms);
  start(options);
  append(dir_ / "java.log",
         "2024-05-01 ERROR boom\n\tat a.B.c(B.java:1)\n\tat d.E.f(E.java:2)\n"
         "2024-05-01 INFO after\n");
  ASSERT_TRUE(received_count(1));
  EXPECT_EQ(received_[0].message,
            "2024-05-01 ERROR boom\n\tat a.B.c(B.java:1)\n\tat d.E.f(E.java:2)");
  const auto first_seen = std::chrono::steady_clock::now();
  ASSERT_TRUE(received_count(2));  // no more lines come: the timer flushes it
  EXPECT_GE(std::chrono::steady_clock::now() - first_seen, 50ms);
  EXPECT_EQ(received_[1].message, "2024-05-01 INFO after");
  EXPECT_EQ(metrics_.multiline_records.value(), 1u);
}

TEST_F(FileInputTest, AskedPerFileWhetherItsLinesAreJoined) {
  FileInputOptions options = options_for({dir_.path() + "/*.log"});
  const auto dated = dated_lines_start(50ms);
  options.multiline = [dated](const LogRecord& probe) {
    return probe.file_source->path.ends_with("java.log") ? dated(probe) : std::nullopt;
  };
  start(options);
  append(dir_ / "java.log", "2024-05-01 ERROR boom\n\tat a.B.c(B.java:1)\n");
  append(dir_ / "plain.log", "2024-05-01 one\n\tindented\n");
  ASSERT_TRUE(received_count(3));
  EXPECT_THAT(by_path_[dir_ / "java.log"],
              ElementsAre("2024-05-01 ERROR boom\n\tat a.B.c(B.java:1)"));
  EXPECT_THAT(by_path_[dir_ / "plain.log"], ElementsAre("2024-05-01 one", "\tindented"));
}

TEST_F(FileInputTest, ARotatedFileIsReportedFinishedAfterItsLastRecordWasSubmitted) {
  const std::string path = dir_ / "app.log";
  append(path, "2024-05-01 first\n");
  FileInputOptions options = options_for({dir_.path() + "/*.log"});
  options.multiline = dated_lines_start(200ms);
  options.reader.rotate_wait = 20ms;
  start(options);
  const FileIdentity old_file = identity_of_path(path);
  ASSERT_TRUE(run_until([&] { return input_->open_files() == 1; }));
  std::filesystem::rename(path, path + ".1");
  append(path + ".1", "2024-05-01 last of the old file\n\tat its trace\n");
  append(path, "");  // the new file, empty for now
  // The old file is finished after 20 ms, but its last record waits in the joiner for 200 ms:
  // its saved place must stay until that record is submitted.
  ASSERT_TRUE(run_until([&] { return !finished_.empty(); }));
  ASSERT_EQ(finished_.size(), 1u);
  EXPECT_EQ(finished_[0].path, path);
  EXPECT_EQ(finished_[0].file, old_file);
  EXPECT_THAT(finished_[0].received_before,
              ElementsAre("2024-05-01 first", "2024-05-01 last of the old file\n\tat its trace"));
  EXPECT_THAT(gone_, IsEmpty());
}

TEST_F(FileInputTest, FollowsASymlinkWhoseTargetIsInAnotherDirectory) {
  TempDirectory elsewhere;
  append(elsewhere / "real.log", "one\n");
  std::filesystem::create_symlink(elsewhere / "real.log", dir_ / "link.log");
  start(options_for({dir_.path() + "/*.log"}));
  ASSERT_TRUE(received_count(1));
  append(elsewhere / "real.log", "two\n");  // only the target's directory sees this write
  ASSERT_TRUE(received_count(2));
  EXPECT_THAT(by_path_[dir_ / "link.log"], ElementsAre("one", "two"));
}

TEST_F(FileInputTest, StopClosesEveryFile) {
  for (int i = 0; i < 4; ++i) append(dir_ / ("f" + std::to_string(i) + ".log"), "x\n");
  const std::size_t fds_before = open_fd_count();
  start(options_for({dir_.path() + "/*.log"}));
  ASSERT_TRUE(received_count(4));
  EXPECT_EQ(open_fd_count(), fds_before + 4);
  input_->stop();
  run_for(20ms);
  EXPECT_EQ(open_fd_count(), fds_before);
  EXPECT_EQ(metrics_.open_files.value(), 0);
  EXPECT_EQ(metrics_.files_watched.value(), 0);
  append(dir_ / "f0.log", "after stop\n");
  run_for(50ms);
  EXPECT_EQ(received_.size(), 4u);
}

TEST_F(FileInputTest, TwoInputsWhoseGlobsOverlapNeverReadOneFileTwice) {
  append(dir_ / "shared.log", "s1\n");
  append(dir_ / "a-only.log", "a1\n");
  append(dir_ / "b-only.log", "b1\n");
  FilePathClaims claims;
  FileInputMetrics b_metrics(registry_, "b");
  const auto claiming = [&](const std::string& name) {
    FileInputHooks claiming = hooks();
    claiming.claim_path = [&claims, name](const std::string& path) {
      return claims.claim(path, name);
    };
    claiming.release_path = [&claims, name](const std::string& path) {
      claims.release(path, name);
    };
    return claiming;
  };
  FileInputOptions a_options = options_for({dir_.path() + "/shared.log", dir_.path() + "/a-*.log"});
  a_options.name = "a";
  FileInputOptions b_options = options_for({dir_.path() + "/*.log"});
  b_options.name = "b";
  b_options.exclude = {"*/a-*"};
  input_.emplace(io_.get_executor(), *watcher_, a_options, claiming("a"), &metrics_);
  input_->start();
  ASSERT_TRUE(received_count(2));
  FileInput b(io_.get_executor(), *watcher_, b_options, claiming("b"), &b_metrics);
  b.start();
  ASSERT_TRUE(received_count(3));
  append(dir_ / "shared.log", "s2\n");
  ASSERT_TRUE(received_count(4));
  run_for(100ms);
  EXPECT_EQ(received_.size(), 4u);
  EXPECT_THAT(by_path_[dir_ / "shared.log"], ElementsAre("s1", "s2"));  // once each
  std::map<std::string, std::string> input_of;
  for (const LogRecord& record : received_) input_of[record.message] = record.file_source->input;
  EXPECT_EQ(input_of, (std::map<std::string, std::string>{
                          {"a1", "a"}, {"s1", "a"}, {"s2", "a"}, {"b1", "b"}}));
  EXPECT_EQ(b_metrics.files_refused.value(), 1u);  // once, however often b looks again
  EXPECT_EQ(b.files_followed(), 1u);
  EXPECT_EQ(claims.size(), 3u);
  // Stopping releases the claims: what a's files held is free for another input.
  input_->stop();  // released as its followers end, on the loop: wait for it, not for a time
  EXPECT_TRUE(run_until([&] { return claims.size() == 1u; })) << claims.size();
  b.stop();
  EXPECT_TRUE(run_until([&] { return claims.size() == 0u; })) << claims.size();
}

TEST_F(FileInputTest, RefusesABadConfiguration) {
  FileInputOptions options = options_for({dir_.path() + "/*.log"});
  options.max_open_files = 0;
  EXPECT_THROW(FileInput(io_.get_executor(), *watcher_, options, hooks()), std::invalid_argument);
  EXPECT_THROW(FileInput(io_.get_executor(), *watcher_, options_for({}), hooks()),
               std::invalid_argument);
}

}  // namespace
}  // namespace lc::file_input::testing
