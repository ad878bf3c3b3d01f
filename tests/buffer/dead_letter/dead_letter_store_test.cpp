#include "buffer/dead_letter/dead_letter_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "buffer/disk_buffer/buffer_test_records.hpp"
#include "buffer/disk_buffer/file_size_limit.hpp"
#include "buffer/disk_buffer/segment_directory.hpp"
#include "buffer/disk_buffer/segment_files.hpp"
#include "core/health_registry.hpp"
#include "core/timestamp.hpp"
#include "support/temp_directory.hpp"

namespace lc {
namespace {

using testing::bytes_of_segments;
using testing::file_size;
using testing::make_container;
using testing::make_records;
using testing::same_record;
using testing::segment_names;

std::vector<std::uint64_t> ids_of(const std::vector<DeadLetterEntry>& entries) {
  std::vector<std::uint64_t> ids;
  for (const DeadLetterEntry& entry : entries) ids.push_back(entry.id);
  return ids;
}

std::vector<std::uint64_t> range(std::uint64_t first, std::uint64_t last) {
  std::vector<std::uint64_t> ids;
  for (std::uint64_t id = first; id <= last; ++id) ids.push_back(id);
  return ids;
}

DeadLetterSinkFilter only(std::string sink) {
  return [sink = std::move(sink)](std::string_view name) { return name == sink; };
}

class DeadLetterStoreTest : public ::testing::Test {
 protected:
  DeadLetterStoreOptions options(std::uint64_t max_bytes = 64 << 20,
                                 std::uint64_t max_segment = 1 << 20) {
    DeadLetterStoreOptions o;
    o.directory = dir_;
    o.max_bytes = max_bytes;
    o.max_segment_bytes = max_segment;
    o.fsync = false;  // durability is the kernel's business here; fsync only slows the tests
    return o;
  }
  std::unique_ptr<DeadLetterStore> open(const DeadLetterStoreOptions& o) {
    metrics_ = std::make_unique<MetricsRegistry>();
    return std::make_unique<DeadLetterStore>(o, *metrics_);
  }
  std::unique_ptr<DeadLetterStore> open() { return open(options()); }

  std::uint64_t counter(const std::string& name, const MetricLabels& labels = {}) {
    return metrics_->counter(name, "", labels).value();
  }
  std::int64_t gauge(const std::string& name) { return metrics_->gauge(name, "").value(); }

  testing::TempDirectory temp_;
  const std::string dir_ = temp_ / "dead_letters";
  std::unique_ptr<MetricsRegistry> metrics_;
  const ContainerMetadataPtr web_ = make_container("web");
  const DeadLetterReason rejected_{"Rejected", "400: entry too far behind"};
};

TEST_F(DeadLetterStoreTest, StoresEveryFieldAndListsItBack) {
  DeadLetterStoreOptions durable = options();
  durable.fsync = true;
  auto store = open(durable);
  const TimestampNs before = now_ns();
  const auto records = make_records(web_, 0, 3);
  const DeadLetterAddResult added = store->add("loki", rejected_, records);
  EXPECT_EQ(added.added, 3u);
  EXPECT_FALSE(added.error);
  const std::vector<DeadLetterEntry> entries = store->list(0, 10);
  ASSERT_EQ(entries.size(), 3u);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].id, i + 1);
    EXPECT_EQ(entries[i].sink, "loki");
    EXPECT_EQ(entries[i].reason.kind, "rejected");  // a metric label: lower-cased
    EXPECT_EQ(entries[i].reason.message, "400: entry too far behind");
    EXPECT_GE(entries[i].added, before);
    EXPECT_LE(entries[i].added, now_ns());
    EXPECT_TRUE(same_record(entries[i].record, records[i]));
  }
  EXPECT_EQ(
      counter("log_capturer_dead_letters_added_total", {{"sink", "loki"}, {"reason", "rejected"}}),
      3u);
  EXPECT_EQ(gauge("log_capturer_dead_letters_entries"), 3);
  EXPECT_EQ(static_cast<std::uint64_t>(gauge("log_capturer_dead_letters_bytes")),
            file_size(dir_ + "/" + segment_names(dir_).back()));

  const DeadLetterStats stats = store->stats();
  EXPECT_EQ(stats.entries, 3u);
  EXPECT_EQ(stats.bytes, static_cast<std::uint64_t>(gauge("log_capturer_dead_letters_bytes")));
  ASSERT_TRUE(stats.oldest && stats.newest);
  EXPECT_EQ(stats.oldest->id, 1u);
  EXPECT_EQ(stats.newest->id, 3u);
  EXPECT_EQ(stats.entries_by_sink, (std::map<std::string, std::uint64_t>{{"loki", 3}}));
}

TEST_F(DeadLetterStoreTest, ReasonKindsAreBoundedLabels) {
  auto store = open();
  store->add("loki", {"Out Of Order!", "x"}, make_records(web_, 0, 1));
  store->add("loki", {"", "x"}, make_records(web_, 1, 1));
  store->add("loki", {std::string(100, 'k'), "x"}, make_records(web_, 2, 1));
  const auto entries = store->list(0, 10);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].reason.kind, "out_of_order_");
  EXPECT_EQ(entries[1].reason.kind, "other");
  EXPECT_EQ(entries[2].reason.kind, std::string(32, 'k'));
}

TEST_F(DeadLetterStoreTest, ListPagesByIdAcrossSegments) {
  auto store = open(options(64 << 20, 4096));
  for (std::uint32_t i = 0; i < 25; ++i)
    store->add("loki", rejected_, make_records(web_, i, 1, 500));
  EXPECT_GT(segment_names(dir_).size(), 2u);
  EXPECT_EQ(ids_of(store->list(0, 10)), range(1, 10));
  EXPECT_EQ(ids_of(store->list(10, 10)), range(11, 20));
  EXPECT_EQ(ids_of(store->list(20, 10)), range(21, 25));
  EXPECT_TRUE(store->list(25, 10).empty());
  EXPECT_EQ(store->list(3, 1)[0].record.message, make_records(web_, 3, 1, 500)[0].message);
}

TEST_F(DeadLetterStoreTest, ReprocessRemovesOnlyWhatIsConfirmed) {
  auto store = open();
  store->add("loki", rejected_, make_records(web_, 0, 5));   // ids 1..5
  store->add("kafka", rejected_, make_records(web_, 5, 3));  // ids 6..8
  const auto taken = store->take_for_reprocess(4, UINT64_MAX, only("loki"));
  EXPECT_EQ(ids_of(taken), range(1, 4));
  EXPECT_EQ(store->stats().entries, 8u);  // taking removes nothing
  const std::vector<std::uint64_t> taken_ids = ids_of(taken);
  store->release(taken_ids);
  EXPECT_EQ(ids_of(store->take_for_reprocess(4, UINT64_MAX, only("loki"))),
            range(1, 4));  // released, not confirmed: taken again
  const std::vector<std::uint64_t> accepted = {2, 3};
  DeadLetterConfirmResult confirmed = store->confirm(accepted);
  EXPECT_EQ(confirmed.removed, 2u);
  EXPECT_FALSE(confirmed.error);
  EXPECT_EQ(store->confirm(accepted).removed, 0u);  // already gone
  const std::vector<std::uint64_t> unknown = {99};
  EXPECT_EQ(store->confirm(unknown).removed, 0u);
  const std::vector<std::uint64_t> still_taken = {1, 4};
  store->release(still_taken);
  EXPECT_EQ(ids_of(store->take_for_reprocess(10, UINT64_MAX, only("kafka"))), range(6, 8));
  EXPECT_TRUE(store->take_for_reprocess(10, UINT64_MAX, only("elasticsearch")).empty());
  EXPECT_EQ(ids_of(store->take_for_reprocess(10, UINT64_MAX, {})),
            (std::vector<std::uint64_t>{1, 4, 5}));  // 6..8 are in flight
  EXPECT_EQ(counter("log_capturer_dead_letters_reprocessed_total", {{"sink", "loki"}}), 2u);
  EXPECT_EQ(store->stats().entries_by_sink,
            (std::map<std::string, std::uint64_t>{{"kafka", 3}, {"loki", 3}}));

  store.reset();
  store = open();  // confirmed removals survive a restart
  EXPECT_EQ(ids_of(store->list(0, 10)), (std::vector<std::uint64_t>{1, 4, 5, 6, 7, 8}));
  EXPECT_EQ(store->stats().entries, 6u);
  EXPECT_EQ(gauge("log_capturer_dead_letters_entries"), 6);
}

TEST_F(DeadLetterStoreTest, IdsStayMonotonicAfterEverythingIsRemovedAndRestarted) {
  {
    auto store = open();
    store->add("loki", rejected_, make_records(web_, 0, 3));
    const std::vector<std::uint64_t> all = {1, 2, 3};
    EXPECT_EQ(store->confirm(all).removed, 3u);
    EXPECT_EQ(store->stats().entries, 0u);
    EXPECT_FALSE(store->stats().oldest);
  }
  auto store = open();
  store->add("loki", rejected_, make_records(web_, 3, 1));
  EXPECT_EQ(ids_of(store->list(0, 10)), (std::vector<std::uint64_t>{4}));
}

TEST_F(DeadLetterStoreTest, ASegmentIsDeletedOnceAllItsEntriesAreConfirmed) {
  auto store = open(options(64 << 20, 4096));
  for (std::uint32_t i = 0; i < 12; ++i)
    store->add("loki", rejected_, make_records(web_, i, 1, 1000));
  const std::size_t segments = segment_names(dir_).size();
  ASSERT_GE(segments, 3u);
  const std::vector<DeadLetterEntry> first = store->list(0, 3);  // the first segment's
  const std::vector<std::uint64_t> ids = ids_of(first);
  EXPECT_EQ(store->confirm(ids).removed, 3u);
  EXPECT_EQ(segment_names(dir_).size(), segments - 1);
  EXPECT_EQ(store->stats().bytes, bytes_of_segments(dir_));
}

TEST_F(DeadLetterStoreTest, TheBoundDropsTheOldestEntriesAndCountsThem) {
  auto store = open(options(32 * 1024, 8 * 1024));
  for (std::uint32_t i = 0; i < 200; ++i) {
    ASSERT_EQ(
        store->add(i % 2 == 0 ? "loki" : "kafka", rejected_, make_records(web_, i, 1, 400)).added,
        1u);
  }
  const DeadLetterStats stats = store->stats();
  EXPECT_LE(stats.bytes, 32u * 1024);
  EXPECT_EQ(stats.bytes, bytes_of_segments(dir_));
  const std::uint64_t dropped =
      counter("log_capturer_dead_letters_dropped_total", {{"sink", "loki"}}) +
      counter("log_capturer_dead_letters_dropped_total", {{"sink", "kafka"}});
  EXPECT_GT(dropped, 0u);
  EXPECT_EQ(stats.entries + dropped, 200u);
  // What is left is the newest entries, without a gap.
  const std::vector<DeadLetterEntry> left = store->list(0, 1000);
  EXPECT_EQ(ids_of(left), range(200 - stats.entries + 1, 200));
  EXPECT_EQ(stats.oldest->id, 200 - stats.entries + 1);
}

TEST_F(DeadLetterStoreTest, AnEntryThatCanNeverFitIsDroppedAndCounted) {
  auto store = open(options(16 * 1024, 4096));
  const DeadLetterAddResult result = store->add("loki", rejected_, make_records(web_, 0, 1, 9000));
  EXPECT_EQ(result.added, 0u);
  EXPECT_EQ(result.dropped, 1u);
  EXPECT_EQ(counter("log_capturer_dead_letters_dropped_total", {{"sink", "loki"}}), 1u);
  EXPECT_EQ(store->add("loki", rejected_, make_records(web_, 1, 1)).added, 1u);
  EXPECT_EQ(ids_of(store->list(0, 10)), (std::vector<std::uint64_t>{1}));
}

TEST_F(DeadLetterStoreTest, TornTailIsCutAndEarlierEntriesSurvive) {
  std::string segment;
  std::uint64_t before_last = 0;
  {
    auto store = open();
    store->add("loki", rejected_, make_records(web_, 0, 3));
    segment = dir_ + "/" + segment_names(dir_).back();
    before_last = file_size(segment);
    store->add("loki", rejected_, make_records(web_, 3, 1, 200));
  }
  std::filesystem::resize_file(segment, (before_last + file_size(segment)) / 2);
  {
    auto store = open();
    EXPECT_EQ(counter("log_capturer_dead_letters_corrupt_truncations_total"), 1u);
    EXPECT_EQ(file_size(segment), before_last);
    EXPECT_EQ(ids_of(store->list(0, 10)), range(1, 3));
  }
  auto store = open();
  EXPECT_EQ(counter("log_capturer_dead_letters_corrupt_truncations_total"), 0u);
  store->add("loki", rejected_, make_records(web_, 4, 1));
  EXPECT_EQ(ids_of(store->list(0, 10)), range(1, 4));  // id 4 was never stored: free again
}

TEST_F(DeadLetterStoreTest, FailedWriteStoresNothingHalfAndReportsTheError) {
  auto store = open();
  store->add("loki", rejected_, make_records(web_, 0, 1));
  const std::string segment = dir_ + "/" + segment_names(dir_).back();
  const std::uint64_t size = file_size(segment);
  testing::ScopedFileSizeLimit full_disk(size + 100);
  ASSERT_TRUE(full_disk.applied());
  const DeadLetterAddResult failed = store->add("loki", rejected_, make_records(web_, 1, 5, 100));
  EXPECT_EQ(failed.added, 0u);
  EXPECT_EQ(failed.error, std::errc::file_too_large);
  EXPECT_EQ(file_size(segment), size);
  EXPECT_EQ(counter("log_capturer_dead_letters_write_errors_total"), 1u);
  full_disk.lift();
  EXPECT_EQ(store->add("loki", rejected_, make_records(web_, 1, 2)).added, 2u);
  EXPECT_EQ(ids_of(store->list(0, 10)), range(1, 3));
}

TEST_F(DeadLetterStoreTest, EntriesInFlightAreNotTakenTwice) {
  auto store = open();
  store->add("loki", rejected_, make_records(web_, 0, 5));
  EXPECT_EQ(ids_of(store->take_for_reprocess(3, UINT64_MAX, {})), range(1, 3));
  EXPECT_EQ(store->stats().in_flight, 3u);
  EXPECT_EQ(ids_of(store->take_for_reprocess(10, UINT64_MAX, {})), range(4, 5));
  EXPECT_TRUE(store->take_for_reprocess(10, UINT64_MAX, {}).empty());
  EXPECT_EQ(ids_of(store->list(0, 10)), range(1, 5));  // listing still shows them

  const std::vector<std::uint64_t> delivered = {4};
  const std::vector<std::uint64_t> not_delivered = {1, 2, 3, 5};
  EXPECT_EQ(store->confirm(delivered).removed, 1u);
  store->release(not_delivered);
  EXPECT_EQ(store->in_flight(), 0u);
  EXPECT_EQ(ids_of(store->take_for_reprocess(10, UINT64_MAX, {})),
            (std::vector<std::uint64_t>{1, 2, 3, 5}));

  store.reset();
  store = open();  // a crash forgets what was in flight: unconfirmed entries replay again
  EXPECT_EQ(ids_of(store->take_for_reprocess(10, UINT64_MAX, {})),
            (std::vector<std::uint64_t>{1, 2, 3, 5}));
}

TEST_F(DeadLetterStoreTest, ListingAndTakingAreBoundedByStoredBytes) {
  auto store = open();
  store->add("loki", rejected_, make_records(web_, 0, 10, 1000));
  // Each entry is stored in a little over 1000 bytes: 3500 bytes hold 3 of them.
  EXPECT_EQ(ids_of(store->list(0, 100, 3500)), range(1, 3));
  EXPECT_EQ(ids_of(store->list(0, 100, 1)), range(1, 1));  // the first, however large
  EXPECT_EQ(ids_of(store->take_for_reprocess(100, 3500, {})), range(1, 3));
  EXPECT_EQ(ids_of(store->take_for_reprocess(100, 5500, {})), range(4, 8));
}

TEST_F(DeadLetterStoreTest, APartlyFailedAddStoresNothingSoARetryStoresNoPrefixTwice) {
  auto store = open(options(64 << 20, 4096));
  ASSERT_EQ(store->add("loki", rejected_, make_records(web_, 0, 1, 100)).added, 1u);
  ASSERT_EQ(segment_names(dir_).size(), 1u);
  const std::string first_segment = dir_ + "/" + segment_names(dir_).back();
  const std::uint64_t size = file_size(first_segment);
  // The add fills the first segment, then cannot create the second (its name is taken).
  const std::string blocker = SegmentDirectory(dir_).path_of(2);
  { std::ofstream(blocker) << "in the way"; }
  const DeadLetterAddResult failed = store->add("loki", rejected_, make_records(web_, 1, 12, 600));
  EXPECT_TRUE(failed.error);
  EXPECT_EQ(failed.added, 0u);
  EXPECT_EQ(file_size(first_segment), size);
  EXPECT_EQ(ids_of(store->list(0, 100)), range(1, 1));
  EXPECT_EQ(store->stats().entries, 1u);

  std::filesystem::remove(blocker);
  const DeadLetterAddResult retried = store->add("loki", rejected_, make_records(web_, 1, 12, 600));
  EXPECT_FALSE(retried.error);
  EXPECT_EQ(retried.added, 12u);
  const auto messages = [&](const std::vector<DeadLetterEntry>& entries) {
    std::vector<std::string> out;
    for (const DeadLetterEntry& entry : entries) out.push_back(entry.record.message);
    return out;
  };
  std::vector<std::string> expected;
  for (const LogRecord& record : make_records(web_, 0, 1, 100)) expected.push_back(record.message);
  for (const LogRecord& record : make_records(web_, 1, 12, 600)) expected.push_back(record.message);
  EXPECT_EQ(messages(store->list(0, 100)), expected);
  EXPECT_EQ(store->stats().entries, 13u);
  store.reset();
  store = open(options(64 << 20, 4096));  // and so it is on disk
  EXPECT_EQ(messages(store->list(0, 100)), expected);
}

TEST_F(DeadLetterStoreTest, AFailedFsyncIsLatchedUntilTheDataIsWrittenAgainInANewFile) {
  DeadLetterStoreOptions durable = options();
  durable.fsync = true;
  int failing_syncs = 0;
  std::vector<std::string> synced;
  durable.sync_fault = [&](const std::string& path) -> std::error_code {
    synced.push_back(path);
    if (failing_syncs == 0) return {};
    --failing_syncs;
    return std::make_error_code(std::errc::io_error);
  };
  auto store = open(durable);
  HealthRegistry health;
  store->report_health_to(health);
  ASSERT_EQ(store->add("loki", rejected_, make_records(web_, 0, 2)).added, 2u);
  const std::string first_segment = dir_ + "/" + segment_names(dir_).back();
  const std::uint64_t size = file_size(first_segment);

  failing_syncs = 1;
  const DeadLetterAddResult failed = store->add("loki", rejected_, make_records(web_, 2, 3));
  EXPECT_EQ(failed.error, std::errc::io_error);
  EXPECT_EQ(failed.added, 0u);  // the lane keeps the records: no checkpoint passes them
  EXPECT_EQ(counter("log_capturer_dead_letters_fsync_failures_total"), 1u);
  EXPECT_TRUE(store->sync_failure_latched());
  EXPECT_FALSE(health.all_healthy());
  EXPECT_EQ(file_size(first_segment), size);  // what the failed fsync may have lost is cut
  EXPECT_EQ(ids_of(store->list(0, 10)), range(1, 2));

  // The retry goes to a new file (the failed descriptor would not report the loss again).
  synced.clear();
  ASSERT_EQ(store->add("loki", rejected_, make_records(web_, 2, 3)).added, 3u);
  ASSERT_EQ(segment_names(dir_).size(), 2u);
  EXPECT_EQ(synced.back(), dir_ + "/" + segment_names(dir_).back());
  EXPECT_NE(synced.back(), first_segment);
  EXPECT_FALSE(store->sync_failure_latched());
  EXPECT_TRUE(health.all_healthy());
  EXPECT_EQ(store->list(0, 10).size(), 5u);
  store.reset();
  durable.sync_fault = {};
  store = open(durable);
  const std::vector<DeadLetterEntry> entries = store->list(0, 10);
  ASSERT_EQ(entries.size(), 5u);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    EXPECT_TRUE(same_record(entries[i].record, make_records(web_, 0, 5)[i])) << i;
  }
}

TEST_F(DeadLetterStoreTest, AFailedFsyncOfARemovalKeepsTheEntries) {
  DeadLetterStoreOptions durable = options();
  durable.fsync = true;
  bool fail = false;
  durable.sync_fault = [&](const std::string&) -> std::error_code {
    return fail ? std::make_error_code(std::errc::io_error) : std::error_code();
  };
  auto store = open(durable);
  store->add("loki", rejected_, make_records(web_, 0, 3));
  const std::vector<std::uint64_t> ids = ids_of(store->take_for_reprocess(3, UINT64_MAX, {}));
  fail = true;
  const DeadLetterConfirmResult confirmed = store->confirm(ids);
  EXPECT_EQ(confirmed.error, std::errc::io_error);
  EXPECT_EQ(confirmed.removed, 0u);
  EXPECT_TRUE(store->sync_failure_latched());
  EXPECT_EQ(store->in_flight(), 0u);
  EXPECT_EQ(ids_of(store->take_for_reprocess(3, UINT64_MAX, {})), range(1, 3));  // again
  fail = false;
  EXPECT_EQ(store->confirm(ids).removed, 3u);
  EXPECT_FALSE(store->sync_failure_latched());
  store.reset();
  store = open(options());
  EXPECT_TRUE(store->list(0, 10).empty());
}

TEST_F(DeadLetterStoreTest, AddAndListFromTwoThreads) {
  auto store = open(options(64 << 20, 8192));
  std::thread writer([&] {
    for (std::uint32_t i = 0; i < 200; ++i)
      store->add("loki", rejected_, make_records(web_, i, 1, 100));
  });
  std::size_t seen = 0;
  while (seen < 200) {
    const auto entries = store->list(0, 1000);
    ASSERT_LE(entries.size(), 200u);
    for (std::size_t i = 0; i < entries.size(); ++i) ASSERT_EQ(entries[i].id, i + 1);
    seen = entries.size();
  }
  writer.join();
}

TEST_F(DeadLetterStoreTest, BadOptionsAreRefused) {
  EXPECT_THROW(open(options(1 << 20, 1 << 20)), std::invalid_argument);
  EXPECT_THROW(open(options(1 << 20, 10)), std::invalid_argument);
}

}  // namespace
}  // namespace lc
