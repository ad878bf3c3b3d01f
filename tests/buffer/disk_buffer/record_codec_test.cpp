#include "buffer/disk_buffer/record_codec.hpp"

#include <gtest/gtest.h>

#include <climits>
#include <string_view>
#include <vector>

#include "buffer/disk_buffer/binary_encoding.hpp"
#include "buffer/disk_buffer/buffer_test_records.hpp"
#include "buffer/disk_buffer/segment_format.hpp"

namespace lc {
namespace {

using testing::make_container;
using testing::make_record;
using testing::same_record;

constexpr std::uint32_t kSeed = 0x1234;

// The payloads of the frames in a buffer, each checked against its length and checksum.
std::vector<std::string> payloads_of(const std::string& frames) {
  std::vector<std::string> payloads;
  std::size_t at = 0;
  while (at < frames.size()) {
    EXPECT_GE(frames.size() - at, kFrameHeaderBytes);
    const std::uint32_t length = load_u32_le(frames.data() + at);
    const std::string payload = frames.substr(at + kFrameHeaderBytes, length);
    EXPECT_EQ(payload.size(), length);
    EXPECT_EQ(load_u32_le(frames.data() + at + 4), frame_checksum(kSeed, payload));
    payloads.push_back(payload);
    at += kFrameHeaderBytes + length;
  }
  return payloads;
}

std::vector<LogRecord> decode_all(const std::string& frames, std::size_t& definitions) {
  RecordFrameDecoder decoder;
  std::vector<LogRecord> records;
  definitions = 0;
  for (const std::string& payload : payloads_of(frames)) {
    LogRecord record;
    switch (decoder.decode(payload, record)) {
      case RecordFrameDecoder::Result::kRecord:
        records.push_back(std::move(record));
        break;
      case RecordFrameDecoder::Result::kDefinition:
        ++definitions;
        break;
      case RecordFrameDecoder::Result::kMalformed:
        ADD_FAILURE() << "malformed payload";
    }
  }
  return records;
}

TEST(RecordCodec, RoundTripsEveryField) {
  LogRecord record = make_record(make_container("web"), 4);
  record.time = -123'456'789;                     // before the epoch
  record.event_time = 1'796'589'614'000'000'001;  // set by parse_timestamp
  record.index_at_time = UINT32_MAX;
  record.stream = LogStream::kStderr;
  record.truncated = true;
  record.invalid = true;
  static constexpr char kBinary[] = "bytes \0 \xff\xfe and \n newlines";
  record.message = std::string(kBinary, sizeof kBinary - 1);  // the NUL inside included
  record.file_position = {{UINT64_MAX, 77}, UINT64_MAX - 1};
  record.file_fingerprint = UINT64_MAX;
  record.file_source = testing::test_file_source();
  FieldValue& fields = record.fields.edit();
  fields.set("level", "error");
  fields.set("http", FieldValue::Map{}).set("status", 500);
  fields.set("items", FieldValue::List{-1, 2.5, true, nullptr, "x"});
  LogRecord bare = make_record(nullptr, 1);  // no container, no file position
  bare.file_source = nullptr;
  bare.time = INT64_MAX;
  bare.message.clear();

  RecordFrameEncoder encoder;
  std::string frames;
  ASSERT_TRUE(encoder.append_record(frames, kSeed, record));
  ASSERT_TRUE(encoder.append_record(frames, kSeed, bare));
  std::size_t definitions = 0;
  const std::vector<LogRecord> decoded = decode_all(frames, definitions);
  ASSERT_EQ(decoded.size(), 2u);
  EXPECT_TRUE(same_record(decoded[0], record));
  EXPECT_TRUE(same_record(decoded[1], bare));
  EXPECT_EQ(decoded[1].container, nullptr);
  EXPECT_EQ(decoded[1].file_source, nullptr);
  EXPECT_EQ(decoded[0].file_source->path, "/var/log/app/app.log");
  EXPECT_EQ(definitions, 2u);  // the container and the file source
  // Typed: 500 stays an integer (not "500"), in the map's order.
  EXPECT_EQ(decoded[0].fields.get()->as_map()[1].value.find("status")->type(),
            FieldValue::Type::kInt);
  EXPECT_TRUE(decoded[1].fields.empty());
  EXPECT_EQ(decoded[1].event_time, 0);
}

TEST(RecordCodec, DefinesAContainerOncePerSegmentAndSharesItOnDecode) {
  const auto web = make_container("web");
  const auto db = make_container("db");
  RecordFrameEncoder encoder;
  std::string frames;
  for (std::uint32_t n = 0; n < 6; ++n) {
    LogRecord record = make_record(n % 2 == 0 ? web : db, n);
    record.file_source = nullptr;
    ASSERT_TRUE(encoder.append_record(frames, kSeed, record));
  }
  std::size_t definitions = 0;
  std::vector<LogRecord> decoded = decode_all(frames, definitions);
  EXPECT_EQ(definitions, 2u);
  ASSERT_EQ(decoded.size(), 6u);
  EXPECT_EQ(decoded[0].container, decoded[2].container);  // one object per container
  EXPECT_EQ(decoded[1].container, decoded[5].container);
  EXPECT_NE(decoded[0].container, decoded[1].container);
  EXPECT_EQ(decoded[1].container->name, "db");

  encoder.reset();  // a new segment defines its containers again
  frames.clear();
  ASSERT_TRUE(encoder.append_record(frames, kSeed, make_record(web, 6)));
  decoded = decode_all(frames, definitions);
  EXPECT_EQ(definitions, 1u);
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(decoded[0].container->name, "web");
}

TEST(RecordCodec, RollbackWithdrawsTheDefinitionsOfAFailedAppend) {
  const auto web = make_container("web");
  const auto db = make_container("db");
  RecordFrameEncoder encoder;
  std::string written;
  ASSERT_TRUE(encoder.append_record(written, kSeed, make_record(web, 0)));  // no file source
  const RecordFrameEncoder::Mark mark = encoder.mark();
  std::string lost;  // a batch that never reached the disk
  ASSERT_TRUE(encoder.append_record(lost, kSeed, make_record(db, 1)));  // db and the file source
  encoder.rollback(mark);
  ASSERT_TRUE(encoder.append_record(written, kSeed, make_record(db, 4)));
  ASSERT_TRUE(encoder.append_record(written, kSeed, make_record(db, 1)));
  std::size_t definitions = 0;
  const std::vector<LogRecord> decoded = decode_all(written, definitions);
  EXPECT_EQ(definitions, 3u);  // db and the file source defined again, with the right indexes
  ASSERT_EQ(decoded.size(), 3u);
  EXPECT_EQ(decoded[1].container->name, "db");
  EXPECT_TRUE(same_record(decoded[2], make_record(db, 1)));
}

TEST(RecordCodec, ResumeContinuesATableRebuiltByADecoder) {
  const auto web = make_container("web");
  SegmentSources rebuilt;
  rebuilt.containers = {nullptr, make_container("old")};  // a hole: a lost definition
  RecordFrameEncoder encoder;
  encoder.resume(rebuilt);
  std::string frames;
  ASSERT_TRUE(encoder.append_record(frames, kSeed, make_record(web, 0)));
  EXPECT_TRUE(decode_source_definition(payloads_of(frames)[0], rebuilt));  // index 3
  EXPECT_EQ(rebuilt.containers.size(), 3u);
  EXPECT_FALSE(decode_source_definition(payloads_of(frames)[0], rebuilt));  // 3 again
}

TEST(RecordCodec, RefusesEveryTruncationAndCorruptionWithoutReadingPastTheEnd) {
  RecordFrameEncoder encoder;
  std::string frames;
  ASSERT_TRUE(encoder.append_record(frames, kSeed, make_record(make_container("web"), 6)));
  const std::vector<std::string> payloads = payloads_of(frames);
  ASSERT_EQ(payloads.size(), 2u);
  for (const std::string& payload : payloads) {
    for (std::size_t cut = 0; cut < payload.size(); ++cut) {
      RecordFrameDecoder decoder;
      LogRecord record;
      if (&payload == &payloads[1]) decoder.decode(payloads[0], record);  // define the container
      EXPECT_EQ(decoder.decode(payload.substr(0, cut), record),
                RecordFrameDecoder::Result::kMalformed)
          << "cut at " << cut;
    }
  }
  RecordFrameDecoder decoder;
  LogRecord record;
  // A record referring to a container never defined.
  EXPECT_EQ(decoder.decode(payloads[1], record), RecordFrameDecoder::Result::kMalformed);
  ASSERT_EQ(decoder.decode(payloads[0], record), RecordFrameDecoder::Result::kDefinition);
  // The same index defined twice.
  EXPECT_EQ(decoder.decode(payloads[0], record), RecordFrameDecoder::Result::kMalformed);
  EXPECT_EQ(decoder.decode(payloads[1], record), RecordFrameDecoder::Result::kRecord);
  EXPECT_EQ(decoder.decode(payloads[1] + "x", record), RecordFrameDecoder::Result::kMalformed);
  EXPECT_EQ(decoder.decode("\x09", record), RecordFrameDecoder::Result::kMalformed);
  // A bad stream byte: type (1) + two ref varints (2) + time (8) + index varint (1).
  std::string bad_stream = payloads[1];
  bad_stream[12] = 3;
  EXPECT_EQ(decoder.decode(bad_stream, record), RecordFrameDecoder::Result::kMalformed);
}

TEST(RecordCodec, VarintsRefuseOverlongEncodings) {
  const std::string overlong = std::string(10, '\xff') + '\x01';
  ByteReader eleven_bytes(overlong);
  std::uint64_t value = 0;
  EXPECT_FALSE(eleven_bytes.get_varint(value));
  std::string max;
  put_varint(max, UINT64_MAX);
  ByteReader in(max);
  ASSERT_TRUE(in.get_varint(value));
  EXPECT_EQ(value, UINT64_MAX);
  ByteReader too_big_for_32(max);
  std::uint32_t small = 0;
  EXPECT_FALSE(too_big_for_32.get_varint32(small));
}

}  // namespace
}  // namespace lc

namespace lc {
namespace {

// The bytes docs/disk-buffer.md describes (also fuzz/corpus/disk_buffer_segment/
// disk_buffer_record_with_fields): a record of no source, flag 16, its fields, its message. A
// change of the format breaks this test before it breaks a buffer written by an older agent.
TEST(RecordCodec, StructuredFieldsAsTheFormatDescribesThem) {
  using namespace std::string_literals;
  const std::string body =
      "\x00\x00"                          // no container, no file source
      "\x00\x00\x2a\x36\xfe\x9c\x97\x17"  // time (LE): 1700000000000000000
      "\x00\x01\x10"                      // index_at_time 0, stdout, flags: fields follow
      "\x05\x03"                          // a map of 3
      "\x05level\x04\x05"
      "error"                     // "level": "error"
      "\x06status\x02\xe8\x07"    // "status": 500 (zigzag varint 1000)
      "\x04tags\x06\x02\x04\x01"  // "tags": ["a", null]
      "a\x00"
      "\x05hello"s;  // the message
  ByteReader in(body);
  LogRecord record;
  ASSERT_TRUE(decode_record_body(in, SegmentSources{}, record));
  EXPECT_EQ(record.time, 1'700'000'000'000'000'000);
  EXPECT_EQ(record.message, "hello");
  FieldValue::Map expected{
      {"level", "error"}, {"status", 500}, {"tags", FieldValue::List{"a", nullptr}}};
  EXPECT_EQ(record.fields, RecordFields(expected));
  EXPECT_EQ(record.fields.get()->find("status")->type(), FieldValue::Type::kInt);
}

}  // namespace
}  // namespace lc
