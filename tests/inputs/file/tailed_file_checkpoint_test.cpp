// TailedFileReader with the checkpoints the agent keeps for it (FileCheckpoints on a
// CheckpointTracker): a restart at any moment during rotate_wait, when both the rotated file
// and the new one are being read, loses no line and repeats none.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "inputs/file/tailed_file_reader.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/file_checkpoints.hpp"
#include "tailed_file_reader_fixture.hpp"

namespace lc::file_input::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr auto kRotateWait = 5s;

// The agent around one reader: what it submits goes to the tracker, what is acknowledged is
// delivered, and a kill -9 keeps only what the tracker had as delivered (the saved checkpoint).
class TailedFileCheckpointTest : public TailedFileReaderTest {
 protected:
  TailedFileReaderOptions options() const {
    TailedFileReaderOptions options;
    options.rotate_wait = kRotateWait;
    return options;
  }

  void start_agent() {
    tracker_ = std::make_unique<CheckpointTracker>();
    tracker_->restore(saved_positions_, saved_files_);
    checkpoints_ = std::make_unique<FileCheckpoints>(*tracker_);
    reader_ = make_reader(options(), TailedFileReader::StartAt::kBeginning,
                          checkpoints_->resume_points(path_));
  }

  // One turn of the input: read, submit, and have the first `deliver` records acknowledged
  // (all by default). Returns the messages read.
  std::vector<std::string> turn(std::size_t deliver = SIZE_MAX) {
    const std::vector<LogRecord> records = read(*reader_);
    checkpoints_->on_submitted(records);
    const std::size_t delivered = std::min(deliver, records.size());
    tracker_->acknowledge(std::span(records.data(), delivered));
    for (std::size_t i = 0; i < delivered; ++i) delivered_.push_back(records[i].message);
    for (const FileIdentity file : reader_->take_finished_files()) {
      checkpoints_->on_file_finished(path_, file);
    }
    return messages(records);
  }

  // kill -9: only the delivered places survive (as a checkpoint save would write them).
  void kill() {
    saved_positions_ = tracker_->positions();
    saved_files_ = tracker_->file_positions();
    reader_.reset();
    checkpoints_.reset();
    tracker_.reset();
  }

  std::vector<std::string> delivered_sorted() const {
    std::vector<std::string> sorted = delivered_;
    std::sort(sorted.begin(), sorted.end());
    return sorted;
  }

  std::unique_ptr<CheckpointTracker> tracker_;
  std::unique_ptr<FileCheckpoints> checkpoints_;
  std::unique_ptr<TailedFileReader> reader_;
  std::map<std::string, ContainerPosition> saved_positions_;
  std::map<std::string, FileResumePoint> saved_files_;
  std::vector<std::string> delivered_;
};

// The application: writes through its fd, which stays on the old file after a rename until it
// reopens the path.
struct RotatingApplication {
  explicit RotatingApplication(std::string path) : path(std::move(path)) {}
  void write(int line) { writer->write(numbered_lines(line, line + 1)); }
  void rotate() { std::filesystem::rename(path, path + ".1"); }
  void reopen() { writer = std::make_unique<FileWriter>(path); }

  std::string path;
  std::unique_ptr<FileWriter> writer = std::make_unique<FileWriter>(path);
};

TEST_F(TailedFileCheckpointTest, ARestartAtAnyMomentDuringRotateWaitLosesAndRepeatsNothing) {
  // Each step changes the files; then, while the agent runs, the input takes a turn.
  using Step = std::function<void(RotatingApplication&)>;
  const std::vector<Step> steps = {
      [](RotatingApplication& app) { app.write(0), app.write(1); },
      // Renamed: the old file gets lines until the application reopens the path.
      [this](RotatingApplication& app) { app.rotate(), app.write(2), append(path_, "line 3\n"); },
      [this](RotatingApplication& app) { app.write(4), append(path_, "line 5\n"); },
      [](RotatingApplication& app) { app.write(6); },  // a turn reading only the old file
      [this](RotatingApplication&) { append(path_, "line 7\n"); },  // only the new one
      [](RotatingApplication& app) { app.reopen(), app.write(8); },
      [this](RotatingApplication&) { advance(kRotateWait); },  // the old file is finished
      [](RotatingApplication& app) { app.write(9); },
  };
  const std::vector<std::string> all_lines = numbered_messages(0, 10);
  // From the rotation on (without any checkpoint, a path is new: read from its current file).
  for (std::size_t crash_at = 1; crash_at < steps.size(); ++crash_at) {
    // The turn of the step the crash comes in delivers only some of its records.
    for (std::size_t delivered_of_last = 0; delivered_of_last <= 2; ++delivered_of_last) {
      SCOPED_TRACE("crash in step " + std::to_string(crash_at) + " after delivering " +
                   std::to_string(delivered_of_last) + " of its records");
      std::filesystem::remove_all(dir_.path());
      std::filesystem::create_directories(dir_.path());
      saved_positions_.clear();
      saved_files_.clear();
      delivered_.clear();
      RotatingApplication app(path_);
      start_agent();
      for (std::size_t step = 0; step < steps.size(); ++step) {
        steps[step](app);
        if (step < crash_at) turn();
        if (step == crash_at) {
          turn(delivered_of_last);
          kill();
        }
      }
      start_agent();  // every change is made by now: the restarted agent reads what is left
      turn();
      advance(kRotateWait);
      turn();
      EXPECT_EQ(delivered_sorted(), all_lines);
      EXPECT_EQ(reader_->counters().resume_lost, 0u);
      EXPECT_EQ(reader_->open_file_count(), 1u);
      kill();
    }
  }
}

TEST_F(TailedFileCheckpointTest, DuringRotateWaitBothFilesHaveASavedPlace) {
  RotatingApplication app(path_);
  app.write(0);
  start_agent();
  EXPECT_THAT(turn(), ElementsAre("line 0"));
  const FileIdentity old_file = identity_of_path(path_);
  app.rotate();
  append(path_, "line 1\n");
  EXPECT_THAT(turn(), ElementsAre("line 1"));
  const FileIdentity new_file = identity_of_path(path_);
  app.write(2);  // late, to the old file
  EXPECT_THAT(turn(), ElementsAre("line 2"));

  const std::vector<FileResumePoint> points = checkpoints_->resume_points(path_);
  ASSERT_EQ(points.size(), 2u);
  std::vector<FilePosition> places{points[0].position, points[1].position};
  EXPECT_THAT(places, ::testing::UnorderedElementsAre(FilePosition{old_file, 14},
                                                      FilePosition{new_file, 7}));

  advance(kRotateWait);  // the old file is finished: its place is dropped
  EXPECT_THAT(turn(), IsEmpty());
  ASSERT_EQ(checkpoints_->resume_points(path_).size(), 1u);
  EXPECT_EQ(checkpoints_->resume_points(path_)[0].position, (FilePosition{new_file, 7}));
}

TEST_F(TailedFileCheckpointTest, ASavedRotatedFileThatIsGoneIsLostAloneAndItsPlaceDropped) {
  RotatingApplication app(path_);
  app.write(0);
  start_agent();
  turn();
  app.rotate();
  append(path_, "line 1\n");
  turn();
  kill();
  std::filesystem::remove(path_ + ".1");  // removed while the agent was down
  append(path_, "line 2\n");
  start_agent();
  EXPECT_THAT(turn(), ElementsAre("line 2"));  // the new file resumes at its own place
  EXPECT_EQ(reader_->counters().resume_lost, 1u);
  EXPECT_EQ(checkpoints_->resume_points(path_).size(), 1u);
}

}  // namespace
}  // namespace lc::file_input::testing
