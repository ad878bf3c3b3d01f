#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "file_test_support.hpp"
#include "inputs/file/file_input_metrics.hpp"
#include "inputs/file/tailed_file_reader.hpp"
#include "metrics/metrics_registry.hpp"

namespace lc::file_input::testing {

// A reader on <temp>/app.log, a clock the test moves, and helpers to read until caught up.
class TailedFileReaderTest : public ::testing::Test {
 protected:
  using Clock = TailedFileReader::Clock;
  using Progress = TailedFileReader::Progress;

  std::unique_ptr<TailedFileReader> make_reader(
      TailedFileReaderOptions options = {},
      TailedFileReader::StartAt start_at = TailedFileReader::StartAt::kBeginning,
      std::vector<FileResumePoint> resume = {}, std::string path = {}) {
    auto source = std::make_shared<const FileSource>(
        FileSource{path.empty() ? path_ : path, {{"app", "test"}}, "files"});
    return std::make_unique<TailedFileReader>(std::move(source), std::move(options), start_at,
                                              std::move(resume), &metrics_);
  }

  // Reads until caught up or gone (bounded); the last progress is in last_progress_.
  std::vector<LogRecord> read(TailedFileReader& reader, std::size_t max_bytes = 1 << 20,
                              std::size_t max_open_files = 2) {
    std::vector<LogRecord> out;
    for (int i = 0; i < 100000; ++i) {
      last_progress_ = reader.read_available(out, {max_bytes, max_open_files}, now_);
      EXPECT_LE(reader.open_file_count(), max_open_files);
      if (last_progress_ != Progress::kMore) return out;
    }
    ADD_FAILURE() << "the reader never caught up";
    return out;
  }

  std::vector<std::string> read_messages(TailedFileReader& reader) {
    return messages(read(reader));
  }

  void advance(std::chrono::milliseconds by) { now_ += by; }

  // The position a checkpoint would save after `record`.
  static FileResumePoint resume_after(const LogRecord& record) {
    FileResumePoint point;
    point.position = record.file_position;
    point.fingerprint = record.file_fingerprint;
    return point;
  }

  TempDirectory dir_;
  const std::string path_ = dir_ / "app.log";
  MetricsRegistry registry_;
  FileInputMetrics metrics_{registry_};
  Clock::time_point now_ = Clock::now();
  Progress last_progress_ = Progress::kCaughtUp;
};

}  // namespace lc::file_input::testing
