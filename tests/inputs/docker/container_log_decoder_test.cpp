#include "inputs/docker/container_log_decoder.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "support/docker_frames.hpp"

namespace lc::docker_input {
namespace {

constexpr std::size_t kPiece = ContainerLogDecoder::kDockerPieceBytes;
constexpr std::uint32_t kNoCap = 16 * 1024 * 1024;
const TimestampNs kT0 = *parse_rfc3339("2026-11-23T05:47:31.612303924Z");

std::string frame(std::uint8_t stream, std::string_view payload) {
  return lc::testing::docker_frame(stream, payload);
}

// One message as dockerd writes it with timestamps=1.
std::string message(TimestampNs time, std::string_view content) {
  return lc::testing::docker_message(time, content);
}

std::string framed(std::uint8_t stream, TimestampNs time, std::string_view content) {
  return frame(stream, message(time, content));
}

// A line as dockerd's copier sends it: 16 KiB pieces with one timestamp, "\n" on the last.
std::vector<std::string> pieces_of(const std::string& line) {
  std::vector<std::string> pieces;
  std::size_t pos = 0;
  while (line.size() - pos >= kPiece) {
    pieces.push_back(line.substr(pos, kPiece));
    pos += kPiece;
  }
  pieces.push_back(line.substr(pos) + "\n");
  return pieces;
}

std::string framed_line(std::uint8_t stream, TimestampNs time, const std::string& line) {
  std::string body;
  for (const std::string& piece : pieces_of(line)) body += framed(stream, time, piece);
  return body;
}

std::string tty_line(TimestampNs time, const std::string& line, std::string_view ending) {
  std::string body;
  const std::vector<std::string> pieces = pieces_of(line + std::string(ending.substr(0, 1)));
  // pieces_of appended "\n" to the last piece; the TTY ending is "\r\n".
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    std::string piece = pieces[i];
    if (i + 1 == pieces.size()) {
      piece.pop_back();
      if (ending.size() == 2) piece.push_back('\n');
    }
    body += message(time, piece);
  }
  return body;
}

std::string text_of(std::size_t size, char seed = 'a') {
  std::string text(size, ' ');
  for (std::size_t i = 0; i < size; ++i) text[i] = static_cast<char>(seed + i % 23);
  return text;
}

struct Rec {
  TimestampNs time;
  LogStream stream;
  std::uint32_t index;
  bool truncated;
  std::string message;
  bool operator==(const Rec&) const = default;
};

void PrintTo(const Rec& r, std::ostream* os) {
  *os << "{t0+" << (r.time - kT0) << ", " << to_string(r.stream) << ", #" << r.index
      << (r.truncated ? ", truncated" : "") << ", " << r.message.size() << " bytes: \""
      << r.message.substr(0, 40) << (r.message.size() > 40 ? "...\"}" : "\"}");
}

std::vector<Rec> simplify(const std::vector<LogRecord>& records) {
  std::vector<Rec> out;
  for (const LogRecord& r : records) {
    out.push_back({r.time, r.stream, r.index_at_time, r.truncated, r.message});
  }
  return out;
}

Rec out(TimestampNs time, std::string message, std::uint32_t index = 0) {
  return {time, LogStream::kStdout, index, false, std::move(message)};
}
Rec err(TimestampNs time, std::string message, std::uint32_t index = 0) {
  return {time, LogStream::kStderr, index, false, std::move(message)};
}
Rec cut(Rec r) {
  r.truncated = true;
  return r;
}

ContainerMetadataPtr test_container(std::string name = "web") {
  auto metadata = std::make_shared<ContainerMetadata>();
  metadata->id = std::string(64, 'c');
  metadata->name = std::move(name);
  return metadata;
}

struct Options {
  bool tty = false;
  std::uint32_t max_line_bytes = kNoCap;
  ContainerPosition resume{};
};

// Feeds the body in chunks of the given sizes (cycled), then finishes.
std::vector<Rec> decode(std::string_view body, const Options& options,
                        std::vector<std::size_t> chunks = {}, DecoderCounters* counters = nullptr) {
  ContainerLogDecoder decoder(test_container(), options.tty, options.max_line_bytes,
                              options.resume);
  std::vector<LogRecord> records;
  if (chunks.empty()) chunks.push_back(body.size() + 1);
  for (std::size_t pos = 0, i = 0; pos < body.size(); ++i) {
    const std::size_t size = chunks[i % chunks.size()];
    EXPECT_TRUE(decoder.feed(body.substr(pos, size), records)) << "at byte " << pos;
    pos += size;
  }
  decoder.finish(records);
  if (counters != nullptr) *counters = decoder.counters();
  return simplify(records);
}

std::vector<Rec> decode_bytewise(std::string_view body, const Options& options) {
  return decode(body, options, {1});
}

std::vector<std::size_t> random_chunks(unsigned seed) {
  std::mt19937 random(seed);
  std::vector<std::size_t> chunks;
  for (int i = 0; i < 257; ++i) chunks.push_back(1 + random() % (random() % 2 ? 20 : 40000));
  return chunks;
}

TEST(ContainerLogDecoder, DecodesStdoutAndStderrFrames) {
  const std::string body =
      framed(1, kT0, "a\n") + framed(2, kT0 + 1, "oops\n") + framed(1, kT0 + 2, "b c\n");
  DecoderCounters counters;
  EXPECT_EQ(decode(body, {}, {}, &counters),
            (std::vector<Rec>{out(kT0, "a"), err(kT0 + 1, "oops"), out(kT0 + 2, "b c")}));
  EXPECT_EQ(counters.malformed_frames + counters.bad_timestamps + counters.truncated_lines +
                counters.skipped_records,
            0u);
}

TEST(ContainerLogDecoder, DropsLinesDockerResendsAtRotationWithoutSpendingRanks) {
  // dockerd 20.10 re-sends a block of lines with their original timestamps when the
  // json-file rotates under a follow stream.
  const std::string block =
      framed(1, kT0 + 1, "b\n") + framed(1, kT0 + 1, "b2\n") + framed(2, kT0 + 2, "c\n");
  const std::string body = framed(1, kT0, "a\n") + block + block + framed(1, kT0 + 3, "d\n");
  DecoderCounters counters;
  EXPECT_EQ(decode(body, {}, {}, &counters),
            (std::vector<Rec>{out(kT0, "a"), out(kT0 + 1, "b"), out(kT0 + 1, "b2", 1),
                              err(kT0 + 2, "c"), out(kT0 + 3, "d")}));
  EXPECT_EQ(counters.replayed_lines, 3u);
}

// Seen on 20.10 under load: the re-sent block began with the last 16 KiB piece of a long line.
TEST(ContainerLogDecoder, DropsAReplayThatBeginsInsideALongLine) {
  for (const bool tty : {false, true}) {
    const std::string line = text_of(3 * kPiece + 100);
    const std::vector<std::string> pieces = pieces_of(line);
    ASSERT_EQ(pieces.size(), 4u);
    const auto piece = [&](std::size_t i) {
      return tty ? message(kT0, pieces[i]) : framed(1, kT0, pieces[i]);
    };
    const auto short_line = [&](TimestampNs t, const std::string& text) {
      return tty ? message(t, text + "\n") : framed(1, t, text + "\n");
    };
    const std::string whole = piece(0) + piece(1) + piece(2) + piece(3);
    for (const std::size_t first : {3u, 2u, 1u}) {  // the replay starts at this piece
      std::string replay;
      for (std::size_t i = first; i < pieces.size(); ++i) replay += piece(i);
      const std::string body = whole + short_line(kT0 + 1, "x") + replay +
                               short_line(kT0 + 1, "x") + short_line(kT0 + 2, "new");
      DecoderCounters counters;
      EXPECT_EQ(decode(body, {.tty = tty}, {}, &counters),
                (std::vector<Rec>{out(kT0, line), out(kT0 + 1, "x"), out(kT0 + 2, "new")}))
          << "tty " << tty << " replay from piece " << first;
      EXPECT_EQ(counters.replayed_lines, 2u);
    }
  }
}

TEST(ContainerLogDecoder, KeepsALineWithTheLongLinesStampThatIsNotItsTail) {
  // Two genuine lines can share a stamp on a coarse clock: only the long line's own last
  // pieces are taken for a replay.
  const std::string line = text_of(kPiece + 10);
  const std::string body = framed_line(1, kT0, line) + framed(1, kT0, "other\n") +
                           framed(2, kT0, pieces_of(line).back());
  DecoderCounters counters;
  EXPECT_EQ(decode(body, {}, {}, &counters),
            (std::vector<Rec>{out(kT0, line), out(kT0, "other", 1),
                              err(kT0, pieces_of(line).back().substr(0, 10))}));
  EXPECT_EQ(counters.replayed_lines, 0u);
}

TEST(ContainerLogDecoder, DropsAReplayLongerThanTheLinesItRemembers) {
  // Seen on 20.10 with a reader behind the writer: ~380 lines re-sent at one rotation.
  std::string body;
  std::vector<Rec> expected;
  for (int i = 0; i < 1000; ++i) {
    body += framed(1, kT0 + i, "line " + std::to_string(i) + "\n");
    expected.push_back(out(kT0 + i, "line " + std::to_string(i)));
  }
  for (int i = 500; i < 1000; ++i) body += framed(1, kT0 + i, "line " + std::to_string(i) + "\n");
  body += framed(1, kT0 + 1000, "new\n");
  expected.push_back(out(kT0 + 1000, "new"));
  DecoderCounters counters;
  EXPECT_EQ(decode(body, {}, {}, &counters), expected);
  EXPECT_EQ(counters.replayed_lines, 500u);
}

TEST(ContainerLogDecoder, KeepsStderrWrittenInABlockAfterNewerStdoutLines) {
  // dockerd writes the streams in blocks: 300 stdout lines, then the stderr lines stamped
  // between them, all older than the stdout lines just seen. None of them is a replay.
  std::string body;
  std::vector<Rec> expected;
  for (int i = 0; i < 300; ++i) {
    body += framed(1, kT0 + 2 * i, "o " + std::to_string(i) + "\n");
    expected.push_back(out(kT0 + 2 * i, "o " + std::to_string(i)));
  }
  for (int i = 0; i < 300; ++i) {
    body += framed(2, kT0 + 2 * i + 1, "e " + std::to_string(i) + "\n");
    expected.push_back(err(kT0 + 2 * i + 1, "e " + std::to_string(i)));
  }
  DecoderCounters counters;
  EXPECT_EQ(decode(body, {}, {}, &counters), expected);
  EXPECT_EQ(counters.replayed_lines, 0u);
}

TEST(ContainerLogDecoder, DropsTheLastLineSentTwiceInARow) {
  const std::string body = framed(1, kT0, "a\n") + framed(1, kT0 + 1, "b\n") +
                           framed(1, kT0 + 1, "b\n") + framed(1, kT0 + 2, "c\n");
  DecoderCounters counters;
  EXPECT_EQ(decode(body, {}, {}, &counters),
            (std::vector<Rec>{out(kT0, "a"), out(kT0 + 1, "b"), out(kT0 + 2, "c")}));
  EXPECT_EQ(counters.replayed_lines, 1u);
}

TEST(ContainerLogDecoder, KeepsOutOfOrderAndSameStampedLinesThatAreNotReplays) {
  // stderr stamped a little before the stdout line that arrived first is a real line, and so
  // is an identical line with the same timestamp (a coarse clock) outside a replay.
  const std::string body = framed(1, kT0 + 5, "late stdout\n") + framed(2, kT0 + 4, "early\n") +
                           framed(1, kT0 + 5, "late stdout\n");
  DecoderCounters counters;
  EXPECT_EQ(decode(body, {}, {}, &counters),
            (std::vector<Rec>{out(kT0 + 5, "late stdout"), err(kT0 + 4, "early"),
                              out(kT0 + 5, "late stdout", 1)}));
  EXPECT_EQ(counters.replayed_lines, 0u);
}

TEST(ContainerLogDecoder, RecordsCarryTheContainerAndFollowARename) {
  auto first = test_container("old");
  ContainerLogDecoder decoder(first, false, kNoCap, {});
  std::vector<LogRecord> records;
  ASSERT_TRUE(decoder.feed(framed(1, kT0, "a\n"), records));
  auto renamed = test_container("new");
  decoder.set_container(renamed);
  ASSERT_TRUE(decoder.feed(framed(1, kT0 + 1, "b\n"), records));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].container, first);
  EXPECT_EQ(records[1].container, renamed);
}

TEST(ContainerLogDecoder, StdinFramesCountAsStdout) {
  EXPECT_EQ(decode(framed(0, kT0, "typed\n"), {}), (std::vector<Rec>{out(kT0, "typed")}));
}

TEST(ContainerLogDecoder, EmptyLinesAreRecords) {
  const std::string body = framed(1, kT0, "\n") + framed(2, kT0, "\n") + framed(1, kT0 + 5, "x\n");
  EXPECT_EQ(decode(body, {}), (std::vector<Rec>{out(kT0, ""), err(kT0, "", 0), out(kT0 + 5, "x")}));
}

TEST(ContainerLogDecoder, EmptyFramesAreIgnored) {
  EXPECT_EQ(decode(frame(1, "") + framed(1, kT0, "x\n"), {}), (std::vector<Rec>{out(kT0, "x")}));
}

TEST(ContainerLogDecoder, KeepsCarriageReturnsOutsideTty) {
  EXPECT_EQ(decode(framed(1, kT0, "dos\r\n"), {}), (std::vector<Rec>{out(kT0, "dos\r")}));
}

TEST(ContainerLogDecoder, RanksRecordsSharingATimestampPerStream) {
  const std::string body = framed(1, kT0, "a\n") + framed(2, kT0, "b\n") + framed(1, kT0, "c\n") +
                           framed(1, kT0 + 1, "d\n") + framed(2, kT0 + 1, "e\n") +
                           framed(1, kT0 + 2, "f\n");
  EXPECT_EQ(decode(body, {}),
            (std::vector<Rec>{out(kT0, "a", 0), err(kT0, "b", 0), out(kT0, "c", 1),
                              out(kT0 + 1, "d", 0), err(kT0 + 1, "e", 0), out(kT0 + 2, "f", 0)}));
}

// stdout and stderr are stamped by separate goroutines: a few out-of-order stamps still rank.
TEST(ContainerLogDecoder, RanksSurviveSlightlyOutOfOrderTimestamps) {
  const std::string body = framed(1, kT0 + 1, "a\n") + framed(2, kT0, "b\n") +
                           framed(1, kT0 + 1, "c\n") + framed(2, kT0, "d\n");
  EXPECT_EQ(decode(body, {}), (std::vector<Rec>{out(kT0 + 1, "a", 0), err(kT0, "b", 0),
                                                out(kT0 + 1, "c", 1), err(kT0, "d", 1)}));
}

TEST(ContainerLogDecoder, JoinsSixteenKibPieces) {
  for (const std::size_t size :
       {kPiece - 1, kPiece, kPiece + 1, 2 * kPiece, std::size_t{100 * 1024}}) {
    const std::string line = text_of(size);
    const std::string body = framed_line(1, kT0, line) + framed(1, kT0 + 9, "next\n");
    const std::size_t expected_pieces = size / kPiece + 1;
    ASSERT_EQ(pieces_of(line).size(), expected_pieces);
    EXPECT_EQ(decode(body, {}), (std::vector<Rec>{out(kT0, line), out(kT0 + 9, "next")})) << size;
  }
}

TEST(ContainerLogDecoder, JoinsPiecesOfStdoutAndStderrIndependently) {
  const std::string out_line = text_of(kPiece + 10, 'a');
  const std::string err_line = text_of(kPiece + 20, 'A');
  const auto out_pieces = pieces_of(out_line);
  const auto err_pieces = pieces_of(err_line);
  const std::string body = framed(1, kT0, out_pieces[0]) + framed(2, kT0 + 1, err_pieces[0]) +
                           framed(2, kT0 + 2, "short\n") + framed(1, kT0, out_pieces[1]) +
                           framed(2, kT0 + 1, err_pieces[1]);
  // The stderr piece followed by a different stamp on stderr was a line of its own.
  EXPECT_EQ(decode(body, {}),
            (std::vector<Rec>{err(kT0 + 1, err_pieces[0]), err(kT0 + 2, "short"),
                              out(kT0, out_line), err(kT0 + 1, err_pieces[1].substr(0, 20), 1)}));
}

TEST(ContainerLogDecoder, PieceWithoutNewlineThenAnotherTimestampIsALine) {
  const std::string body = framed(1, kT0, "no newline") + framed(1, kT0 + 1, "next\n");
  EXPECT_EQ(decode(body, {}), (std::vector<Rec>{out(kT0, "no newline"), out(kT0 + 1, "next")}));
}

TEST(ContainerLogDecoder, FinishEmitsTheFinalLineWithoutNewline) {
  ContainerLogDecoder decoder(test_container(), false, kNoCap, {});
  std::vector<LogRecord> records;
  ASSERT_TRUE(decoder.feed(framed(1, kT0, "a\n") + framed(2, kT0 + 1, "bye"), records));
  EXPECT_EQ(simplify(records), (std::vector<Rec>{out(kT0, "a")}));
  decoder.finish(records);
  EXPECT_EQ(simplify(records), (std::vector<Rec>{out(kT0, "a"), err(kT0 + 1, "bye")}));
  EXPECT_FALSE(decoder.feed(framed(1, kT0 + 2, "after\n"), records));
  EXPECT_EQ(records.size(), 2u);
}

TEST(ContainerLogDecoder, FinishJoinsTheLastPiecesOfAnUnendedLongLine) {
  const std::string line = text_of(kPiece + 5);
  const std::string body =
      framed(1, kT0, line.substr(0, kPiece)) + framed(1, kT0, line.substr(kPiece));
  EXPECT_EQ(decode(body, {}), (std::vector<Rec>{out(kT0, line)}));
}

TEST(ContainerLogDecoder, StreamEndingInsideAFrameCountsAsMalformed) {
  const std::string whole = framed(1, kT0, "a\n");
  const std::string body = whole + whole.substr(0, 12);
  DecoderCounters counters;
  EXPECT_EQ(decode(body, {}, {}, &counters), (std::vector<Rec>{out(kT0, "a")}));
  EXPECT_EQ(counters.malformed_frames, 1u);
}

TEST(ContainerLogDecoder, TruncatesAWholeFrameLine) {
  DecoderCounters counters;
  const std::string body = framed(1, kT0, text_of(3000) + "\n") +
                           framed(1, kT0, text_of(1000, 'b') + "\n") + framed(1, kT0 + 1, "x\n");
  EXPECT_EQ(decode(body, {.max_line_bytes = 1000}, {}, &counters),
            (std::vector<Rec>{cut(out(kT0, text_of(1000), 0)), out(kT0, text_of(1000, 'b'), 1),
                              out(kT0 + 1, "x")}));
  EXPECT_EQ(counters.truncated_lines, 1u);
}

TEST(ContainerLogDecoder, TruncatesAJoinedLineAndDropsItsRemainingPieces) {
  const std::string line = text_of(3 * kPiece + 100);
  const std::string body = framed_line(1, kT0, line) + framed(1, kT0 + 1, "after\n");
  for (const std::uint32_t cap : {100u, std::uint32_t{kPiece}, std::uint32_t{kPiece + 1}, 40000u}) {
    DecoderCounters counters;
    EXPECT_EQ(decode(body, {.max_line_bytes = cap}, {}, &counters),
              (std::vector<Rec>{cut(out(kT0, line.substr(0, cap))), out(kT0 + 1, "after")}))
        << cap;
    EXPECT_EQ(counters.truncated_lines, 1u);
  }
  // A line of exactly the cap is whole.
  const std::string exact = text_of(2 * kPiece);
  DecoderCounters counters;
  EXPECT_EQ(decode(framed_line(1, kT0, exact), {.max_line_bytes = 2 * kPiece}, {}, &counters),
            (std::vector<Rec>{out(kT0, exact)}));
  EXPECT_EQ(counters.truncated_lines, 0u);
}

TEST(ContainerLogDecoder, TruncatedRecordIsEmittedBeforeTheLineEnds) {
  ContainerLogDecoder decoder(test_container(), false, 100, {});
  std::vector<LogRecord> records;
  ASSERT_TRUE(decoder.feed(framed(1, kT0, text_of(kPiece)), records));
  EXPECT_EQ(simplify(records), (std::vector<Rec>{cut(out(kT0, text_of(100)))}));
  ASSERT_TRUE(decoder.feed(framed(1, kT0, text_of(kPiece)), records));
  ASSERT_TRUE(decoder.feed(framed(1, kT0, "end\n"), records));
  decoder.finish(records);
  EXPECT_EQ(records.size(), 1u);
  EXPECT_EQ(decoder.counters().truncated_lines, 1u);
}

TEST(ContainerLogDecoder, ResumeSkipsDeliveredRecordsWithEqualTimestamps) {
  const std::string body = framed(1, kT0, "a\n") + framed(2, kT0, "b\n") + framed(1, kT0, "c\n") +
                           framed(1, kT0 + 1, "d\n");
  DecoderCounters counters;
  EXPECT_EQ(decode(body, {.resume = ContainerPosition::both({kT0, 1})}, {}, &counters),
            (std::vector<Rec>{out(kT0, "c", 1), out(kT0 + 1, "d")}));
  EXPECT_EQ(counters.skipped_records, 2u);
  EXPECT_EQ(decode(body, {.resume = {{kT0, 2}, {kT0, 1}}}), (std::vector<Rec>{out(kT0 + 1, "d")}));
  EXPECT_EQ(decode(body, {.resume = ContainerPosition::both({kT0, 0})}).size(), 4u);
  EXPECT_EQ(decode(body, {.resume = ContainerPosition::both({kT0 + 1, 1})}, {}, &counters),
            std::vector<Rec>{});
  EXPECT_EQ(counters.skipped_records, 4u);
}

TEST(ContainerLogDecoder, ResumeKeepsALineStampedBeforeTheOtherStreamsPosition) {
  // "d" was written after the delivered "c" but stamped earlier (each stream is stamped in its
  // own goroutine); stderr's own position ("b") does not cover it: it was never delivered.
  const std::string body = framed(1, kT0, "a\n") + framed(2, kT0 + 2, "b\n") +
                           framed(1, kT0 + 10, "c\n") + framed(2, kT0 + 5, "d\n") +
                           framed(1, kT0 + 11, "e\n");
  DecoderCounters counters;
  EXPECT_EQ(decode(body, {.resume = {{kT0 + 10, 1}, {kT0 + 2, 1}}}, {}, &counters),
            (std::vector<Rec>{err(kT0 + 5, "d"), out(kT0 + 11, "e")}));
  EXPECT_EQ(counters.skipped_records, 3u);
}

TEST(ContainerLogDecoder, ResumeFiltersOnlyTheStreamsPrefix) {
  // After "d" (not covered), an out-of-order "e" stamped before the position is kept.
  const std::string body = framed(1, kT0, "a\n") + framed(1, kT0 + 5, "d\n") +
                           framed(2, kT0, "e\n") + framed(1, kT0 + 5, "f\n");
  DecoderCounters counters;
  EXPECT_EQ(decode(body, {.resume = {{kT0 + 1, 0}, {}}}, {}, &counters),
            (std::vector<Rec>{out(kT0 + 5, "d"), err(kT0, "e", 0), out(kT0 + 5, "f", 1)}));
  EXPECT_EQ(counters.skipped_records, 1u);
}

TEST(ContainerLogDecoder, ResumeAppliesToJoinedAndTruncatedLines) {
  const std::string first = text_of(kPiece * 2 + 3, 'b');
  const std::string line = text_of(kPiece * 2 + 3);
  const std::string body =
      framed_line(1, kT0, first) + framed_line(1, kT0, line) + framed(1, kT0 + 1, "x\n");
  EXPECT_EQ(decode(body, {.resume = ContainerPosition{{kT0, 1}}}),
            (std::vector<Rec>{out(kT0, line, 1), out(kT0 + 1, "x")}));
  EXPECT_EQ(decode(body, {.max_line_bytes = 10, .resume = ContainerPosition{{kT0, 1}}}),
            (std::vector<Rec>{cut(out(kT0, line.substr(0, 10), 1)), out(kT0 + 1, "x")}));
}

TEST(ContainerLogDecoder, MalformedHeaderFailsAndCounts) {
  for (const std::string& bad : {std::string("\x03\0\0\0\0\0\0\x02", 8) + "xx",
                                 std::string("\x01\0\0\x01\0\0\0\x02", 8) + "xx",
                                 std::string("\x01\0\0\0\x00\x20\x00\x00", 8)}) {
    ContainerLogDecoder decoder(test_container(), false, kNoCap, {});
    std::vector<LogRecord> records;
    EXPECT_FALSE(decoder.feed(framed(1, kT0, "partial") + bad, records));
    EXPECT_EQ(decoder.counters().malformed_frames, 1u);
    EXPECT_FALSE(decoder.feed(framed(1, kT0 + 1, "ok\n"), records));
    decoder.finish(records);  // a failed stream is re-read from its checkpoint: nothing more
    EXPECT_TRUE(records.empty());
  }
}

TEST(ContainerLogDecoder, BadTimestampFailsAndCounts) {
  for (const std::string& payload : {std::string("no timestamp here\n"), std::string("x"),
                                     std::string("2026-11-23T05:47:31.612303924Z"),
                                     std::string("2026-11-23T25:47:31.612303924Z a\n")}) {
    ContainerLogDecoder decoder(test_container(), false, kNoCap, {});
    std::vector<LogRecord> records;
    EXPECT_FALSE(decoder.feed(framed(1, kT0, "fine\n") + frame(1, payload), records)) << payload;
    EXPECT_EQ(decoder.counters().bad_timestamps, 1u);
    EXPECT_EQ(simplify(records), (std::vector<Rec>{out(kT0, "fine")}));
  }
}

TEST(ContainerLogDecoder, TtyBodyIsRawMessagesWithCarriageReturns) {
  const std::string body = message(kT0, "a\r\n") + message(kT0 + 1, "\r\n") +
                           message(kT0 + 1, "b\n") + message(kT0 + 2, "tail\r");
  EXPECT_EQ(decode(body, {.tty = true}),
            (std::vector<Rec>{out(kT0, "a"), out(kT0 + 1, ""), out(kT0 + 1, "b", 1),
                              out(kT0 + 2, "tail\r")}));
}

TEST(ContainerLogDecoder, TtyJoinsSixteenKibContinuations) {
  for (const std::size_t size : {kPiece - 1, kPiece, kPiece + 1, std::size_t{100 * 1024}}) {
    const std::string line = text_of(size);
    const std::string body = tty_line(kT0, line, "\r\n") + message(kT0 + 1, "next\r\n");
    EXPECT_EQ(decode(body, {.tty = true}), (std::vector<Rec>{out(kT0, line), out(kT0 + 1, "next")}))
        << size;
  }
}

TEST(ContainerLogDecoder, TtyPieceFollowedByAnotherTimestampIsALine) {
  const std::string piece = text_of(kPiece);
  const std::string body = message(kT0, piece) + message(kT0 + 1, "x\r\n");
  EXPECT_EQ(decode(body, {.tty = true}), (std::vector<Rec>{out(kT0, piece), out(kT0 + 1, "x")}));
  EXPECT_EQ(decode(message(kT0, piece), {.tty = true}), (std::vector<Rec>{out(kT0, piece)}));
}

// Should a TTY line run past 16 KiB without dockerd's cut, the bytes are content.
TEST(ContainerLogDecoder, TtyContentPastSixteenKibWithoutATimestampContinues) {
  const std::string line = text_of(kPiece) + "2026 not a time\r";
  const std::string body = message(kT0, line + "\n") + message(kT0 + 1, "y\n");
  EXPECT_EQ(decode(body, {.tty = true}),
            (std::vector<Rec>{out(kT0, line.substr(0, line.size() - 1)), out(kT0 + 1, "y")}));
  const std::string with_newline_soon = text_of(kPiece) + "ab\n";
  EXPECT_EQ(decode(message(kT0, with_newline_soon), {.tty = true}),
            (std::vector<Rec>{out(kT0, text_of(kPiece) + "ab")}));
  const std::string long_run = text_of(kPiece) + std::string(100, 'z') + "\n";
  EXPECT_EQ(decode(message(kT0, long_run), {.tty = true}),
            (std::vector<Rec>{out(kT0, text_of(kPiece) + std::string(100, 'z'))}));
}

TEST(ContainerLogDecoder, TtyTruncationLeavesRoomForTheCarriageReturn) {
  DecoderCounters counters;
  EXPECT_EQ(decode(message(kT0, "abcde\r\n"), {.tty = true, .max_line_bytes = 5}, {}, &counters),
            (std::vector<Rec>{out(kT0, "abcde")}));
  EXPECT_EQ(counters.truncated_lines, 0u);
  // A TTY message has no end but its newline (or a 16 KiB cut): "abcdefgh" is the final output.
  const std::string body = message(kT0, "abcdef\r\n") + message(kT0 + 1, "abcdef\n") +
                           message(kT0 + 2, "ok\n") + message(kT0 + 3, "abcdefgh");
  EXPECT_EQ(decode(body, {.tty = true, .max_line_bytes = 5}, {}, &counters),
            (std::vector<Rec>{cut(out(kT0, "abcde")), cut(out(kT0 + 1, "abcde")),
                              out(kT0 + 2, "ok"), cut(out(kT0 + 3, "abcde"))}));
  EXPECT_EQ(counters.truncated_lines, 3u);
  const std::string line = text_of(3 * kPiece);
  EXPECT_EQ(decode(tty_line(kT0, line, "\r\n") + message(kT0 + 1, "ok\n"),
                   {.tty = true, .max_line_bytes = 20000}, {}, &counters),
            (std::vector<Rec>{cut(out(kT0, line.substr(0, 20000))), out(kT0 + 1, "ok")}));
}

TEST(ContainerLogDecoder, TtyBadTimestampFails) {
  for (const std::string& body : {std::string("hello world\n"), std::string(50, 'x'),
                                  message(kT0, "a\n") + "garbage line\n"}) {
    ContainerLogDecoder decoder(test_container(), true, kNoCap, {});
    std::vector<LogRecord> records;
    bool ok = true;
    for (const char c : body) ok = ok && decoder.feed(std::string_view(&c, 1), records);
    EXPECT_FALSE(ok) << body;
    EXPECT_EQ(decoder.counters().bad_timestamps, 1u) << body;
  }
}

TEST(ContainerLogDecoder, TtyStreamEndingInsideATimestampCountsAsMalformed) {
  DecoderCounters counters;
  EXPECT_EQ(decode(message(kT0, "a\n") + "2026-11-2", {.tty = true}, {}, &counters),
            (std::vector<Rec>{out(kT0, "a")}));
  EXPECT_EQ(counters.malformed_frames, 1u);
}

// The reference body: every feature at once, decoded whole, byte by byte and in random chunks.
std::string mixed_body(bool tty) {
  std::string body;
  TimestampNs t = kT0;
  const auto line = [&](std::uint8_t stream, const std::string& text) {
    body += tty ? tty_line(t, text, "\r\n") : framed_line(stream, t, text);
  };
  for (int i = 0; i < 30; ++i) {
    line(1, "line " + std::to_string(i));
    line(static_cast<std::uint8_t>(1 + i % 2), "");
    if (i % 3 == 0) ++t;
  }
  for (const std::size_t size : {kPiece, kPiece + 1, std::size_t{100 * 1024}, std::size_t{50}}) {
    line(2, text_of(size));
    ++t;
  }
  body += tty ? message(t, text_of(kPiece)) : framed(1, t, text_of(kPiece));  // unended piece
  ++t;
  body += tty ? message(t, "final words") : framed(2, t, "final words");
  return body;
}

TEST(ContainerLogDecoder, SameRecordsWhateverTheSplit) {
  for (const bool tty : {false, true}) {
    for (const std::uint32_t cap : {kNoCap, 20000u, 7u}) {
      const std::string body = mixed_body(tty);
      const Options options{
          .tty = tty, .max_line_bytes = cap, .resume = ContainerPosition{{kT0 + 1, 2}}};
      const std::vector<Rec> whole = decode(body, options);
      ASSERT_GT(whole.size(), 60u);
      EXPECT_EQ(decode_bytewise(body, options), whole) << "tty " << tty << " cap " << cap;
      for (unsigned seed = 1; seed <= 5; ++seed) {
        EXPECT_EQ(decode(body, options, random_chunks(seed)), whole)
            << "tty " << tty << " cap " << cap << " seed " << seed;
      }
    }
  }
}

TEST(ContainerLogDecoder, MixedBodyDecodesToTheExpectedRecords) {
  const std::vector<Rec> plain = decode(mixed_body(false), {});
  const std::vector<Rec> tty = decode(mixed_body(true), {.tty = true});
  ASSERT_EQ(plain.size(), 66u);
  ASSERT_EQ(tty.size(), 66u);
  for (std::size_t i = 0; i < plain.size(); ++i) {
    EXPECT_EQ(plain[i].message, tty[i].message) << i;
    EXPECT_EQ(plain[i].time, tty[i].time) << i;  // (ranks differ: a tty has only stdout)
  }
  EXPECT_EQ(plain[0], out(kT0, "line 0", 0));
  EXPECT_EQ(plain[1], out(kT0, "", 1));
  EXPECT_EQ(plain[3], err(kT0 + 1, "", 0));
  EXPECT_EQ(plain[61], err(kT0 + 11, text_of(kPiece + 1)));
  EXPECT_EQ(plain[62], err(kT0 + 12, text_of(100 * 1024)));
  EXPECT_EQ(plain[64], out(kT0 + 14, text_of(kPiece)));
  EXPECT_EQ(plain[65], err(kT0 + 15, "final words"));
}

}  // namespace
}  // namespace lc::docker_input
