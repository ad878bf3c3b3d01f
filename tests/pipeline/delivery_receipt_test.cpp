#include "pipeline/delivery_receipt.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace lc {
namespace {

constexpr TimestampNs kT = 1'700'000'000'000'000'000;

ContainerMetadataPtr container(char id) {
  auto metadata = std::make_shared<ContainerMetadata>();
  metadata->id = std::string(64, id);
  return metadata;
}

LogRecord record(const ContainerMetadataPtr& owner, LogStream stream, TimestampNs time,
                 std::uint32_t rank = 0) {
  LogRecord r;
  r.container = owner;
  r.stream = stream;
  r.time = time;
  r.index_at_time = rank;
  return r;
}

TEST(DeliveryReceipt, EachSourceHasEachStreamJustAfterItsOwnLastRecord) {
  const auto a = container('a');
  const auto b = container('b');
  // a's stderr line stamped before its stdout line (interleaved goroutines): both are kept.
  const std::vector<LogRecord> records{
      record(a, LogStream::kStdout, kT + 10), record(a, LogStream::kStderr, kT + 5),
      record(a, LogStream::kStdout, kT + 10, 1), record(b, LogStream::kStderr, kT + 1)};
  const DeliveryReceipt receipt = DeliveryReceipt::of(records);
  ASSERT_EQ(receipt.sources.size(), 2u);
  EXPECT_EQ(receipt.sources[0].key, a->id);
  EXPECT_EQ(receipt.sources[0].records, 3u);
  EXPECT_EQ(receipt.sources[0].position, (ContainerPosition{{kT + 10, 2}, {kT + 5, 1}}));
  EXPECT_EQ(receipt.sources[1].key, b->id);
  EXPECT_EQ(receipt.sources[1].position, (ContainerPosition{{}, {kT + 1, 1}}));
  EXPECT_FALSE(receipt.sources[0].file.has_value());  // read through the API
}

TEST(DeliveryReceipt, ARecordWithAnEstimatedTimeCountsButMovesNoPosition) {
  const auto a = container('a');
  std::vector<LogRecord> records{record(a, LogStream::kStdout, kT)};
  LogRecord unparsed = record(a, LogStream::kStdout, kT + 99);
  unparsed.time_estimated = true;
  records.push_back(unparsed);
  const DeliveryReceipt receipt = DeliveryReceipt::of(records);
  ASSERT_EQ(receipt.sources.size(), 1u);
  EXPECT_EQ(receipt.sources[0].records, 2u);
  EXPECT_EQ(receipt.sources[0].position, (ContainerPosition{{kT, 1}}));
}

TEST(DeliveryReceipt, TheFilePlaceIsTheLastRecordsWithWhereItEnds) {
  const auto a = container('a');
  LogRecord first = record(a, LogStream::kStdout, kT);
  first.file_position = {{2049, 7}, 100};
  first.file_line_end = first.file_position;
  first.file_fingerprint = 0xabc;
  // Read while a line of stdout was open: resume at that line's start, 200; it ends at 300.
  LogRecord second = record(a, LogStream::kStderr, kT + 1);
  second.file_position = {{2049, 7}, 200};
  second.file_line_end = {{2049, 7}, 300};
  second.file_fingerprint = 0xabc;
  const DeliveryReceipt receipt = DeliveryReceipt::of(std::vector<LogRecord>{first, second});
  ASSERT_TRUE(receipt.sources[0].file.has_value());
  const FileResumePoint& place = *receipt.sources[0].file;
  EXPECT_EQ(place.position, (FilePosition{{2049, 7}, 200}));
  EXPECT_EQ(place.delivered_end(), (FilePosition{{2049, 7}, 300}));
  EXPECT_EQ(place.fingerprint, 0xabcu);
  EXPECT_EQ(place.container_position, (ContainerPosition{{kT, 1}, {kT + 1, 1}}));
  // Without an open line the place is the record's own end.
  const DeliveryReceipt alone = DeliveryReceipt::of(std::vector<LogRecord>{first});
  EXPECT_FALSE(alone.sources[0].file->delivered_through.file.valid());
  EXPECT_EQ(alone.sources[0].file->delivered_end(), first.file_position);
}

}  // namespace
}  // namespace lc
