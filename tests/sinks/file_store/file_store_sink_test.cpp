#include "sinks/file_store/file_store_sink.hpp"

#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/temp_directory.hpp"

namespace lc {
namespace {

using Fsync = FileStoreOptions::Fsync;
constexpr TimestampNs kStoreBaseTime = 1'700'000'000'000'000'000;

struct Visit {
  std::string container_id;
  TimestampNs time;
  bool operator==(const Visit&) const = default;
};

ContainerMetadataPtr make_container(const std::string& id) {
  auto meta = std::make_shared<ContainerMetadata>();
  meta->id = id;
  meta->name = "name-" + id;
  meta->image = "busybox";
  return meta;
}

// `count` records of one container, stamped first_time, first_time+1, ... with equal-length
// messages, so that every line of a test has the same size.
std::vector<LogRecord> make_batch(const ContainerMetadataPtr& container, TimestampNs first_time,
                                  std::size_t count) {
  std::vector<LogRecord> batch(count);
  for (std::size_t i = 0; i < count; ++i) {
    batch[i].time = first_time + static_cast<TimestampNs>(i);
    batch[i].container = container;
    batch[i].message = "message " + std::to_string(first_time % 1000000 + i) +
                       std::string(60, '.');  // ~100-byte payloads
    batch[i].message.resize(70, '.');
  }
  return batch;
}

std::vector<Visit> visits_of(const std::vector<LogRecord>& batch) {
  std::vector<Visit> visits;
  for (const auto& record : batch) visits.push_back({record.container->id, record.time});
  return visits;
}

std::size_t encoded_size(const std::vector<LogRecord>& batch) {
  NdjsonRecordEncoder encoder;
  std::string out;
  for (const auto& record : batch) encoder.append(out, record);
  return out.size();
}

SinkWriteOutcome write_via_coroutine(FileStoreSink& sink, std::span<const LogRecord> batch) {
  boost::asio::io_context io;
  auto future = boost::asio::co_spawn(io, sink.write(batch), boost::asio::use_future);
  io.run();
  return future.get();
}

std::vector<std::string> store_file_names(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<nlohmann::json> parse_lines(const std::string& path) {
  const std::string text = testing::read_whole_file(path);
  std::vector<nlohmann::json> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    EXPECT_NE(end, std::string::npos) << "last line of " << path << " lacks its newline";
    if (end == std::string::npos) break;
    lines.push_back(nlohmann::json::parse(text.substr(start, end - start)));
    start = end + 1;
  }
  return lines;
}

std::uint64_t file_size(const std::string& path) { return std::filesystem::file_size(path); }

class FileStoreSinkTest : public ::testing::Test {
 protected:
  FileStoreOptions config_with(Fsync fsync, std::uint64_t max_file_bytes = 1 << 20,
                               std::uint32_t max_files = 8) {
    FileStoreOptions config;
    config.fsync = fsync;
    config.fsync_interval = std::chrono::hours(1);
    config.max_file_bytes = max_file_bytes;
    config.max_files = max_files;
    return config;
  }
  std::uint64_t counter(const std::string& name, bool sink_label = false) {
    return metrics_
        .counter(name, "", sink_label ? MetricLabels{{"sink", "file_store"}} : MetricLabels{})
        .value();
  }
  std::int64_t bytes_gauge() { return metrics_.gauge("log_capturer_file_store_bytes", "").value(); }
  std::vector<Visit> scan(FileStoreSink& sink, StoreCursor from) {
    std::vector<Visit> visits;
    sink.scan_since(from, [&](const StoredRecord& record) {
      visits.push_back({std::string(record.container_id), record.time});
    });
    return visits;
  }

  testing::TempDirectory temp_;
  std::string dir_ = temp_ / "store";
  MetricsRegistry metrics_;
  ContainerMetadataPtr c1_ = make_container(std::string(64, '1'));
  ContainerMetadataPtr c2_ = make_container(std::string(64, '2'));
};

TEST_F(FileStoreSinkTest, ARecordsPlacesPerStreamComeBackFromTheStore) {
  // A stderr trace's record: where it resumes, where it ends, where stdout's last record ends.
  FileStoreSink sink(config_with(Fsync::kNever), dir_, metrics_);
  auto batch = make_batch(c1_, kStoreBaseTime, 1);
  LogRecord& record = batch[0];
  record.stream = LogStream::kStderr;
  record.file_position = FilePosition{FileIdentity{7, 11}, 100};
  record.file_line_end = FilePosition{FileIdentity{7, 12}, 300};
  record.file_other_stream_end = FilePosition{FileIdentity{7, 12}, 250};
  record.file_fingerprint = 0xabc;
  ASSERT_TRUE(write_via_coroutine(sink, batch).ok());
  std::optional<FileResumePoint> point;
  sink.scan_since(StoreCursor{}, [&](const StoredRecord& stored) { point = stored.file_position; });
  ASSERT_TRUE(point.has_value());
  EXPECT_EQ(point->position, record.file_position);
  EXPECT_EQ(point->fingerprint, 0xabcu);
  EXPECT_EQ(point->delivered_through, record.file_line_end);
  EXPECT_EQ(point->stream_end(LogStream::kStderr), record.file_line_end);
  EXPECT_EQ(point->stream_end(LogStream::kStdout), record.file_other_stream_end);
}

TEST_F(FileStoreSinkTest, WritesBatchesAsNdjsonAndCountsExactly) {
  FileStoreSink sink(config_with(Fsync::kNever), dir_, metrics_);
  EXPECT_EQ(sink.name(), "file_store");
  const auto a = make_batch(c1_, kStoreBaseTime, 3);
  const auto b = make_batch(c2_, kStoreBaseTime + 100, 2);
  EXPECT_TRUE(write_via_coroutine(sink, a).ok());
  EXPECT_TRUE(write_via_coroutine(sink, b).ok());
  EXPECT_TRUE(write_via_coroutine(sink, {}).ok());  // empty batch: nothing happens

  const std::string path = dir_ + "/logs-0000000001.ndjson";
  EXPECT_EQ(store_file_names(dir_), std::vector<std::string>{"logs-0000000001.ndjson"});
  const auto lines = parse_lines(path);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0]["container_id"], c1_->id);
  EXPECT_EQ(lines[0]["message"], a[0].message);
  EXPECT_EQ(lines[4]["container_id"], c2_->id);
  EXPECT_EQ(lines[4]["container_name"], "name-" + c2_->id);
  EXPECT_EQ(lines[4]["time"], "2023-11-14T22:13:20.000000101Z");

  const std::uint64_t size = file_size(path);
  EXPECT_EQ(size, encoded_size(a) + encoded_size(b));
  EXPECT_EQ(sink.cursor(), (StoreCursor{1, size}));
  EXPECT_EQ(counter("log_capturer_sink_records_written_total", true), 5u);
  EXPECT_EQ(counter("log_capturer_sink_batches_total", true), 2u);
  EXPECT_EQ(counter("log_capturer_sink_bytes_written_total", true), size);
  EXPECT_EQ(counter("log_capturer_sink_write_errors_total", true), 0u);
  EXPECT_EQ(bytes_gauge(), static_cast<std::int64_t>(size));
  const std::string rendered = metrics_.render();
  EXPECT_NE(rendered.find("log_capturer_sink_records_written_total{sink=\"file_store\"} 5\n"),
            std::string::npos);
  EXPECT_NE(rendered.find("log_capturer_file_store_bytes " + std::to_string(size) + "\n"),
            std::string::npos);
}

// A batch is written in pieces that end on 256 KiB boundaries of the file, a record crossing
// one split between two writes, and a record larger than a piece written in whole pieces: the
// file must hold exactly the batches' encoding, in order, whatever the offset a batch starts at.
TEST_F(FileStoreSinkTest, BatchesLargerThanAWritePieceAreStoredByteForByte) {
  FileStoreSink sink(config_with(Fsync::kEveryBatch, 64 << 20), dir_, metrics_);
  const auto first = make_batch(c1_, kStoreBaseTime, 7);   // leaves the file off any boundary
  auto big = make_batch(c2_, kStoreBaseTime + 100, 6000);  // ~1.4 MB of NDJSON
  big[2500].message = std::string(700 * 1024, 'h');        // crosses several boundaries alone
  big[2501].message = std::string(300 * 1024, 'i');
  const auto last = make_batch(c1_, kStoreBaseTime + 10000, 3);
  ASSERT_TRUE(write_via_coroutine(sink, first).ok());
  ASSERT_TRUE(write_via_coroutine(sink, big).ok());
  ASSERT_TRUE(write_via_coroutine(sink, last).ok());

  NdjsonRecordEncoder encoder;
  std::string expected;
  for (const auto& record : first) encoder.append(expected, record);
  for (const auto& record : big) encoder.append(expected, record);
  for (const auto& record : last) encoder.append(expected, record);
  const std::string path = dir_ + "/logs-0000000001.ndjson";
  const std::string stored = testing::read_whole_file(path);
  ASSERT_EQ(stored.size(), expected.size());
  EXPECT_TRUE(stored == expected);
  EXPECT_EQ(sink.cursor(), (StoreCursor{1, expected.size()}));
  EXPECT_EQ(counter("log_capturer_sink_records_written_total", true), 6010u);
  EXPECT_EQ(counter("log_capturer_sink_bytes_written_total", true), expected.size());
}
TEST_F(FileStoreSinkTest, RestartAppendsToHighestSequenceFile) {
  const auto a = make_batch(c1_, kStoreBaseTime, 2);
  const auto b = make_batch(c1_, kStoreBaseTime + 2, 2);
  {
    std::ofstream(dir_ + "-unused");  // not in the store directory
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ + "/logs-0000000003.ndjson");
    std::ofstream(dir_ + "/logs-0000000001.ndjson");
    FileStoreSink sink(config_with(Fsync::kNever), dir_, metrics_);
    EXPECT_EQ(sink.cursor(), (StoreCursor{3, 0}));
    ASSERT_TRUE(sink.write_batch(a).ok());
  }
  MetricsRegistry fresh_metrics;
  FileStoreSink sink(config_with(Fsync::kNever), dir_, fresh_metrics);
  EXPECT_EQ(sink.cursor(), (StoreCursor{3, encoded_size(a)}));
  EXPECT_EQ(fresh_metrics.gauge("log_capturer_file_store_bytes", "").value(),
            static_cast<std::int64_t>(encoded_size(a)));
  ASSERT_TRUE(sink.write_batch(b).ok());
  EXPECT_EQ(parse_lines(dir_ + "/logs-0000000003.ndjson").size(), 4u);
}

TEST_F(FileStoreSinkTest, RotatesAfterBatchWithoutSplittingItAndKeepsMaxFiles) {
  const auto probe = make_batch(c1_, kStoreBaseTime, 3);
  const std::size_t batch_bytes = encoded_size(probe);
  // A file is full after two batches; a batch is never split however large.
  FileStoreSink sink(config_with(Fsync::kNever, 2 * batch_bytes, 3), dir_, metrics_);
  std::vector<std::vector<LogRecord>> batches;
  for (int i = 0; i < 7; ++i) {
    batches.push_back(make_batch(c1_, kStoreBaseTime + 10 * i, 3));
    ASSERT_TRUE(sink.write_batch(batches.back()).ok());
  }
  // Batches 1-2 -> file 1, 3-4 -> 2, 5-6 -> 3, 7 -> 4: files 1 deleted (keep 3).
  EXPECT_EQ(store_file_names(dir_),
            (std::vector<std::string>{"logs-0000000002.ndjson", "logs-0000000003.ndjson",
                                      "logs-0000000004.ndjson"}));
  EXPECT_EQ(counter("log_capturer_file_store_rotations_total"), 3u);
  EXPECT_EQ(counter("log_capturer_file_store_files_deleted_total"), 1u);
  EXPECT_EQ(file_size(dir_ + "/logs-0000000002.ndjson"), 2 * batch_bytes);
  EXPECT_EQ(file_size(dir_ + "/logs-0000000004.ndjson"), batch_bytes);
  EXPECT_EQ(sink.cursor(), (StoreCursor{4, batch_bytes}));
  EXPECT_EQ(bytes_gauge(), static_cast<std::int64_t>(5 * batch_bytes));

  // One batch larger than max_file_bytes stays whole in one file, then the store rotates.
  const auto big = make_batch(c2_, kStoreBaseTime + 1000, 20);
  ASSERT_TRUE(sink.write_batch(big).ok());
  EXPECT_EQ(parse_lines(dir_ + "/logs-0000000004.ndjson").size(), 23u);
  EXPECT_EQ(sink.cursor(), (StoreCursor{5, 0}));
  EXPECT_EQ(counter("log_capturer_file_store_rotations_total"), 4u);
  EXPECT_EQ(counter("log_capturer_file_store_files_deleted_total"), 2u);
  EXPECT_EQ(store_file_names(dir_),
            (std::vector<std::string>{"logs-0000000003.ndjson", "logs-0000000004.ndjson",
                                      "logs-0000000005.ndjson"}));
  EXPECT_EQ(bytes_gauge(), static_cast<std::int64_t>(3 * batch_bytes + encoded_size(big)));
}

TEST_F(FileStoreSinkTest, ScanSinceVisitsRecordsAfterCursorAcrossRotation) {
  const std::size_t batch_bytes = encoded_size(make_batch(c1_, kStoreBaseTime, 2));
  FileStoreSink sink(config_with(Fsync::kNever, 2 * batch_bytes), dir_, metrics_);
  const auto a = make_batch(c1_, kStoreBaseTime, 2);
  const auto b = make_batch(c2_, kStoreBaseTime + 10, 2);
  const auto c = make_batch(c1_, kStoreBaseTime + 20, 2);
  ASSERT_TRUE(sink.write_batch(a).ok());
  const StoreCursor after_a = sink.cursor();
  EXPECT_EQ(after_a, (StoreCursor{1, batch_bytes}));
  ASSERT_TRUE(sink.write_batch(b).ok());  // fills file 1: rotation
  const StoreCursor after_b = sink.cursor();
  EXPECT_EQ(after_b, (StoreCursor{2, 0}));
  ASSERT_TRUE(sink.write_batch(c).ok());

  std::vector<Visit> expected = visits_of(b);
  for (const auto& v : visits_of(c)) expected.push_back(v);
  EXPECT_EQ(scan(sink, after_a), expected);
  EXPECT_EQ(scan(sink, after_b), visits_of(c));
  EXPECT_EQ(scan(sink, sink.cursor()), std::vector<Visit>{});
  std::vector<Visit> all = visits_of(a);
  all.insert(all.end(), expected.begin(), expected.end());
  EXPECT_EQ(scan(sink, StoreCursor{}), all);
  // The same through a fresh sink on the same directory (the start-up case).
  MetricsRegistry fresh_metrics;
  FileStoreSink restarted(config_with(Fsync::kNever, 2 * batch_bytes), dir_, fresh_metrics);
  EXPECT_EQ(scan(restarted, after_a), expected);
}

TEST_F(FileStoreSinkTest, ScanSinceSkipsFilesDeletedByRetention) {
  const std::size_t batch_bytes = encoded_size(make_batch(c1_, kStoreBaseTime, 2));
  FileStoreSink sink(config_with(Fsync::kNever, 2 * batch_bytes, 2), dir_, metrics_);
  std::vector<std::vector<LogRecord>> batches;
  StoreCursor after_first;
  for (int i = 0; i < 5; ++i) {
    batches.push_back(make_batch(i % 2 ? c2_ : c1_, kStoreBaseTime + 10 * i, 2));
    ASSERT_TRUE(sink.write_batch(batches.back()).ok());
    if (i == 0) after_first = sink.cursor();
  }
  // Files: 1 = batches 0,1 (deleted), 2 = batches 2,3, 3 = batch 4.
  EXPECT_EQ(after_first, (StoreCursor{1, batch_bytes}));
  EXPECT_EQ(store_file_names(dir_),
            (std::vector<std::string>{"logs-0000000002.ndjson", "logs-0000000003.ndjson"}));
  std::vector<Visit> expected;
  for (int i = 2; i < 5; ++i) {
    for (const auto& v : visits_of(batches[i])) expected.push_back(v);
  }
  EXPECT_EQ(scan(sink, after_first), expected);
}

TEST_F(FileStoreSinkTest, TornLastLineIsCutAtStartUp) {
  const auto a = make_batch(c1_, kStoreBaseTime, 3);
  const std::string path = dir_ + "/logs-0000000001.ndjson";
  {
    FileStoreSink sink(config_with(Fsync::kEveryBatch), dir_, metrics_);
    ASSERT_TRUE(sink.write_batch(a).ok());
  }
  const std::uint64_t complete = file_size(path);
  {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << R"({"time":"2023-11-14T22:13:20.000000009Z","stream":"stdout","container_id":"torn)";
  }
  ASSERT_GT(file_size(path), complete);
  MetricsRegistry fresh_metrics;
  FileStoreSink sink(config_with(Fsync::kEveryBatch), dir_, fresh_metrics);
  EXPECT_EQ(file_size(path), complete);
  EXPECT_EQ(sink.cursor(), (StoreCursor{1, complete}));
  EXPECT_EQ(fresh_metrics.gauge("log_capturer_file_store_bytes", "").value(),
            static_cast<std::int64_t>(complete));
  EXPECT_EQ(scan(sink, StoreCursor{}), visits_of(a));
  const auto b = make_batch(c2_, kStoreBaseTime + 10, 1);
  ASSERT_TRUE(sink.write_batch(b).ok());
  EXPECT_EQ(parse_lines(path).size(), 4u);

  // A torn tail appearing later (not through the sink) is cut by scan_since as well.
  {
    std::ofstream out(path, std::ios::app | std::ios::binary);
    out << "{\"time\":";
  }
  auto expected = visits_of(a);
  expected.push_back(visits_of(b)[0]);
  EXPECT_EQ(scan(sink, StoreCursor{}), expected);
  EXPECT_EQ(file_size(path), complete + encoded_size(b));
}

TEST_F(FileStoreSinkTest, ScanSkipsLinesThatAreNotRecords) {
  const auto a = make_batch(c1_, kStoreBaseTime, 2);
  {
    FileStoreSink sink(config_with(Fsync::kNever), dir_, metrics_);
    ASSERT_TRUE(sink.write_batch(a).ok());
  }
  {
    std::ofstream out(dir_ + "/logs-0000000001.ndjson", std::ios::app | std::ios::binary);
    out << "garbage\n{\"time\":\"not a time\",\"container_id\":\"x\"}\n\n";
  }
  MetricsRegistry fresh_metrics;
  FileStoreSink sink(config_with(Fsync::kNever), dir_, fresh_metrics);
  const auto b = make_batch(c2_, kStoreBaseTime + 5, 1);
  ASSERT_TRUE(sink.write_batch(b).ok());
  auto expected = visits_of(a);
  expected.push_back(visits_of(b)[0]);
  EXPECT_EQ(scan(sink, StoreCursor{}), expected);
}

TEST_F(FileStoreSinkTest, FsyncCountsFollowPolicy) {
  const auto batch = make_batch(c1_, kStoreBaseTime, 2);
  const std::string fsyncs = "log_capturer_file_store_fsyncs_total";
  {
    FileStoreSink sink(config_with(Fsync::kEveryBatch), temp_ / "every", metrics_);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(sink.write_batch(batch).ok());
    EXPECT_EQ(counter(fsyncs), 3u);
    sink.flush();  // nothing unsynced
    EXPECT_EQ(counter(fsyncs), 3u);
  }
  {
    MetricsRegistry metrics;
    FileStoreSink sink(config_with(Fsync::kNever), temp_ / "never", metrics);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(sink.write_batch(batch).ok());
    sink.flush();
    EXPECT_EQ(metrics.counter(fsyncs, "").value(), 0u);
  }
  {
    MetricsRegistry metrics;
    FileStoreSink sink(config_with(Fsync::kInterval), temp_ / "hourly", metrics);
    Counter& count = metrics.counter(fsyncs, "");
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(sink.write_batch(batch).ok());
    EXPECT_EQ(count.value(), 0u);  // interval of an hour not reached
    sink.flush();
    EXPECT_EQ(count.value(), 1u);
    sink.flush();
    EXPECT_EQ(count.value(), 1u);  // nothing written since
    ASSERT_TRUE(sink.write_batch(batch).ok());
    sink.flush();
    EXPECT_EQ(count.value(), 2u);
  }
  {
    MetricsRegistry metrics;
    auto config = config_with(Fsync::kInterval);
    config.fsync_interval = std::chrono::milliseconds{0};
    FileStoreSink sink(config, temp_ / "zero", metrics);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(sink.write_batch(batch).ok());
    EXPECT_EQ(metrics.counter(fsyncs, "").value(), 3u);
  }
  {
    // Rotation syncs the file it leaves, since flush() can no longer reach it.
    MetricsRegistry metrics;
    FileStoreSink sink(config_with(Fsync::kInterval, 1), temp_ / "rotating", metrics);
    ASSERT_TRUE(sink.write_batch(batch).ok());
    EXPECT_EQ(metrics.counter(fsyncs, "").value(), 1u);
    sink.flush();  // the new file is empty: nothing to sync
    EXPECT_EQ(metrics.counter(fsyncs, "").value(), 1u);
  }
}

// Checks the full-disk path once writes to `dir` fail: retry, no partial record, then success
// after `restore_space` runs.
void expect_full_disk_recovery(FileStoreSinkTest& test, FileStoreSink& sink,
                               MetricsRegistry& metrics, const std::string& dir,
                               const std::vector<LogRecord>& big,
                               const std::function<void()>& restore_space) {
  const std::string path = dir + "/logs-0000000001.ndjson";
  const StoreCursor before = sink.cursor();
  const std::uint64_t size_before = file_size(path);
  Counter& errors =
      metrics.counter("log_capturer_sink_write_errors_total", "", {{"sink", "file_store"}});
  Counter& records =
      metrics.counter("log_capturer_sink_records_written_total", "", {{"sink", "file_store"}});
  const std::uint64_t records_before = records.value();

  const SinkWriteOutcome failed = write_via_coroutine(sink, big);
  EXPECT_EQ(failed.kind, SinkWriteOutcome::Kind::kRetry);
  EXPECT_FALSE(failed.reason.empty());
  EXPECT_EQ(file_size(path), size_before);  // no partial record left behind
  EXPECT_EQ(sink.cursor(), before);
  EXPECT_EQ(errors.value(), 1u);
  EXPECT_EQ(records.value(), records_before);

  // Still full: fails again the same way.
  EXPECT_EQ(write_via_coroutine(sink, big).kind, SinkWriteOutcome::Kind::kRetry);
  EXPECT_EQ(file_size(path), size_before);
  EXPECT_EQ(errors.value(), 2u);

  restore_space();
  const SinkWriteOutcome ok = write_via_coroutine(sink, big);
  EXPECT_TRUE(ok.ok()) << ok.reason;
  EXPECT_EQ(file_size(path), size_before + encoded_size(big));
  EXPECT_EQ(records.value(), records_before + big.size());
  EXPECT_EQ(parse_lines(path).size(), records.value());
  EXPECT_EQ(metrics.gauge("log_capturer_file_store_bytes", "").value(),
            static_cast<std::int64_t>(file_size(path)));
  (void)test;
}

TEST_F(FileStoreSinkTest, FullTmpfsRetriesThenSucceedsWhenSpaceReturns) {
  const std::string mount_point = temp_ / "small";
  std::filesystem::create_directories(mount_point);
  if (::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=256k") != 0) {
    // Skipped, not failed: mounting needs CAP_SYS_ADMIN, which containers and this CI sandbox
    // lack; the same retry path runs in RlimitFileSizeRetriesThenSucceeds and full_disk_test.
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno)
                 << "); RlimitFileSizeRetriesThenSucceeds covers the path";
  }
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{mount_point};
  const std::string dir = mount_point + "/store";
  {
    FileStoreSink sink(config_with(Fsync::kEveryBatch), dir, metrics_);
    ASSERT_TRUE(sink.write_batch(make_batch(c1_, kStoreBaseTime, 3)).ok());
    // Fill the file system to the last byte.
    const std::string filler = mount_point + "/filler";
    {
      std::FILE* f = std::fopen(filler.c_str(), "wb");
      ASSERT_NE(f, nullptr);
      const std::string chunk(4096, 'f');
      while (std::fwrite(chunk.data(), 1, chunk.size(), f) == chunk.size()) {
      }
      std::fclose(f);
    }
    const auto big = make_batch(c2_, kStoreBaseTime + 100, 300);  // ~45 KB
    expect_full_disk_recovery(*this, sink, metrics_, dir, big,
                              [&] { std::filesystem::remove(filler); });
  }
}

TEST_F(FileStoreSinkTest, RlimitFileSizeRetriesThenSucceeds) {
  FileStoreSink sink(config_with(Fsync::kEveryBatch), dir_, metrics_);
  ASSERT_TRUE(sink.write_batch(make_batch(c1_, kStoreBaseTime, 3)).ok());
  const std::uint64_t size = file_size(dir_ + "/logs-0000000001.ndjson");

  // Writes beyond the limit fail with EFBIG once SIGXFSZ no longer kills the process.
  struct RestoreLimits {
    rlimit saved{};
    void (*old_handler)(int) = std::signal(SIGXFSZ, SIG_IGN);
    RestoreLimits() { ::getrlimit(RLIMIT_FSIZE, &saved); }
    ~RestoreLimits() {
      ::setrlimit(RLIMIT_FSIZE, &saved);
      std::signal(SIGXFSZ, old_handler);
    }
  } restore;
  rlimit limited = restore.saved;
  limited.rlim_cur = size + 200;  // room for part of the batch only
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &limited), 0);

  const auto big = make_batch(c2_, kStoreBaseTime + 100, 50);
  expect_full_disk_recovery(*this, sink, metrics_, dir_, big,
                            [&] { ::setrlimit(RLIMIT_FSIZE, &restore.saved); });
}

TEST_F(FileStoreSinkTest, StartsNextFileWhenActiveIsAlreadyFull) {
  const auto a = make_batch(c1_, kStoreBaseTime, 2);
  {
    FileStoreSink sink(config_with(Fsync::kNever, 1 << 20), dir_, metrics_);
    ASSERT_TRUE(sink.write_batch(a).ok());
  }
  MetricsRegistry fresh_metrics;
  FileStoreSink sink(config_with(Fsync::kNever, 10), dir_, fresh_metrics);
  EXPECT_EQ(sink.cursor(), (StoreCursor{2, 0}));
  EXPECT_EQ(store_file_names(dir_),
            (std::vector<std::string>{"logs-0000000001.ndjson", "logs-0000000002.ndjson"}));
}

TEST_F(FileStoreSinkTest, UnusableDirectoryThrowsClearError) {
  std::ofstream(temp_ / "a-file");
  try {
    FileStoreSink sink(config_with(Fsync::kNever), temp_ / "a-file", metrics_);
    FAIL() << "expected std::system_error";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("file store"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lc
