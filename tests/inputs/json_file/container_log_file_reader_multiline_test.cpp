// Multi-line joining in the json-file reader: stack traces joined per stream, and the
// exactly-once guarantee when the agent is killed while a trace is open.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "inputs/json_file/container_log_file_reader.hpp"
#include "inputs/json_file/json_file_input_metrics.hpp"
#include "json_file_test_support.hpp"
#include "pipeline/delivery_receipt.hpp"

namespace lc::json_file {
namespace {

using namespace std::chrono_literals;
using testing::append;
using ::testing::ElementsAre;
using testing::entry;
using testing::line_entries;
using testing::rotate_like_dockerd;

// An hour ago: dockerd's clock is past every line's flush_timeout, as for a line long written.
const TimestampNs kT0 = std::chrono::duration_cast<std::chrono::nanoseconds>(
                            std::chrono::system_clock::now().time_since_epoch() - 1h)
                            .count();
constexpr TimestampNs kMs = 1'000'000;

using Seen = std::pair<LogStream, std::string>;

class ReaderMultilineTest : public ::testing::Test {
 public:
  ReaderMultilineTest() {
    auto metadata = std::make_shared<ContainerMetadata>();
    metadata->id = std::string(64, 'a');
    metadata->name = "java-service";
    metadata->log_driver = "json-file";
    container_ = metadata;
    multiline::RuleChoice java;
    java.presets = {"java"};
    multiline::StreamJoining joining{multiline::MultilineRules::compile(java), {}, {}};
    joining.limits.flush_timeout = 50ms;
    options_.multiline[1] = joining;  // stderr only: stdout carries JSON lines
  }

  std::unique_ptr<ContainerLogFileReader> make_reader(std::optional<FileResumePoint> resume = {},
                                                      ContainerPosition position = {}) {
    return std::make_unique<ContainerLogFileReader>(container_, path_, parser_, options_, resume,
                                                    position, &metrics_);
  }

  // Reads to the end in small steps, so that lines are handled in many calls.
  static void read(ContainerLogFileReader& reader, std::vector<LogRecord>& out) {
    for (int i = 0; i < 100000; ++i) {
      if (reader.read_available(out, 100)) return;
    }
    ADD_FAILURE() << "reader never reached the end";
  }

  void write(LogStream stream, const std::string& text, TimestampNs at_ms) {
    append(path_, line_entries(text, stream == LogStream::kStderr ? "stderr" : "stdout",
                               kT0 + at_ms * kMs));
  }

  // A Java service: JSON on stdout, traces on stderr, a 20 KiB stdout line in dockerd's
  // pieces inside a trace; a pause (the timer flushes), then a trace that continues across a
  // rotation.
  void write_first_part() {
    write(LogStream::kStdout, R"({"msg":"start"})", 0);
    write(LogStream::kStderr, "2024-05-01 ERROR request failed", 1);
    write(LogStream::kStderr, "java.lang.IllegalStateException: boom", 2);
    write(LogStream::kStdout, R"({"msg":"a"})", 3);
    write(LogStream::kStderr, "\tat a.B.c(B.java:1)", 4);
    write(LogStream::kStdout, std::string(20000, 'x'), 5);
    write(LogStream::kStderr, "\tat d.E.f(E.java:2)", 6);
    write(LogStream::kStdout, R"({"msg":"b"})", 7);
  }
  void write_second_part() {
    write(LogStream::kStderr, "\t... 3 more", 1000);
    write(LogStream::kStderr, "Caused by: java.io.IOException: disk", 1001);
    rotate_like_dockerd(path_, 3);
    write(LogStream::kStderr, "\tat g.H.i(H.java:3)", 1002);
    write(LogStream::kStdout, R"({"msg":"c"})", 1003);
    write(LogStream::kStderr, "java.lang.Error: second", 1004);
    write(LogStream::kStderr, "\tat j.K.l(K.java:4)", 1005);
    write(LogStream::kStdout, R"({"msg":"d"})", 1006);
  }

  static std::vector<Seen> seen(const std::vector<LogRecord>& records) {
    std::vector<Seen> out;
    for (const LogRecord& record : records) {
      // The 20 KiB line by its size: a failure message stays readable.
      out.emplace_back(record.stream, record.message.size() > 1000
                                          ? "<" + std::to_string(record.message.size()) + " bytes>"
                                          : record.message);
    }
    return out;
  }

  testing::TempDir dir_;
  std::string path_ = dir_.file("c-json.log");
  ContainerMetadataPtr container_;
  ContainerLogFileReaderOptions options_;
  JsonFileLineParser parser_;
  MetricsRegistry registry_;
  JsonFileInputMetrics metrics_{registry_};
};

const std::vector<Seen> kExpected = {
    {LogStream::kStdout, R"({"msg":"start"})"},
    {LogStream::kStderr, "2024-05-01 ERROR request failed"},
    {LogStream::kStdout, R"({"msg":"a"})"},
    {LogStream::kStdout, "<20000 bytes>"},
    {LogStream::kStdout, R"({"msg":"b"})"},
    {LogStream::kStderr,
     "java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n\tat d.E.f(E.java:2)"},
    // Cut off by the pause, this frame opens no trace of its own (as in a re-read from it).
    {LogStream::kStderr, "\t... 3 more"},
    {LogStream::kStdout, R"({"msg":"c"})"},
    {LogStream::kStderr, "Caused by: java.io.IOException: disk\n\tat g.H.i(H.java:3)"},
    {LogStream::kStdout, R"({"msg":"d"})"},
    {LogStream::kStderr, "java.lang.Error: second\n\tat j.K.l(K.java:4)"},
};

TEST_F(ReaderMultilineTest, JoinsTracesPerStreamAndPointsResumesAtTheOpenTrace) {
  write_first_part();
  auto reader = make_reader();
  std::vector<LogRecord> records;
  read(*reader, records);
  // The trace waits; stdout lines do not wait for it.
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[2].message, R"({"msg":"a"})");
  // Resuming after {"msg":"a"} must read the open trace again from its first line.
  EXPECT_EQ(records[2].file_position.offset, records[1].file_line_end.offset);
  ASSERT_TRUE(reader->flush_deadline().has_value());
  EXPECT_GT(*reader->flush_deadline(), std::chrono::steady_clock::now());

  std::this_thread::sleep_until(*reader->flush_deadline());
  reader->flush_expired(records);
  ASSERT_EQ(records.size(), 6u);
  EXPECT_EQ(seen(records)[5], kExpected[5]);
  EXPECT_FALSE(reader->flush_deadline().has_value());

  write_second_part();
  read(*reader, records);
  reader->finish(records);
  EXPECT_EQ(seen(records), kExpected);
}

// The resume point the checkpoint holds once `delivered` records are delivered (as the
// tracker keeps it: the last record's place, the position over all of them).
FileResumePoint checkpoint_after(const std::vector<LogRecord>& records, std::size_t delivered) {
  ContainerPosition position;
  for (std::size_t i = 0; i < delivered; ++i) records[i].advance(position);
  return file_resume_point(records[delivered - 1], position);
}

// Killed after each record of `records` (the whole first run) in turn: the restarted reader,
// finished, gives with the delivered records exactly `records` again, per stream.
void expect_exactly_once(ReaderMultilineTest& test, const std::vector<LogRecord>& records);

TEST_F(ReaderMultilineTest, AKillAfterAnyRecordLosesNoLineAndRepeatsNone) {
  write_first_part();
  auto reader = make_reader();
  std::vector<LogRecord> records;
  read(*reader, records);
  std::this_thread::sleep_until(*reader->flush_deadline());
  reader->flush_expired(records);
  write_second_part();
  read(*reader, records);
  reader->finish(records);
  ASSERT_EQ(seen(records), kExpected);

  // Killed after each record in turn: the restarted reader reads every line again that is
  // not in a delivered record, and joins it the same way, the timer's cut included.
  expect_exactly_once(*this, records);
}

TEST_F(ReaderMultilineTest, BothStreamsJoinedAKillAfterAnyRecordLosesNoLineAndRepeatsNone) {
  options_.multiline[0] = options_.multiline[1];  // as the io.log-capturer.multiline label does
  // Traces open on both streams at once; one closed by the other stream's much later line; a
  // fragment of a closed trace that would open a trace of its own if read again alone.
  write(LogStream::kStderr, "java.lang.RuntimeException: err", 0);
  write(LogStream::kStderr, "\tat a.B.c(B.java:1)", 1);
  write(LogStream::kStdout, "java.lang.IllegalStateException: boom", 2);
  write(LogStream::kStderr, "java.lang.RuntimeException: other", 3);
  write(LogStream::kStdout, "Caused by: java.io.IOException: disk", 4);
  write(LogStream::kStdout, "\tat g.H.i(H.java:3)", 5);
  write(LogStream::kStdout, "java.lang.Error: second", 6);
  write(LogStream::kStderr, "\tat x.Y(Y.java:1)", 7);
  write(LogStream::kStdout, "java.lang.IllegalStateException: out", 5000);
  auto reader = make_reader();
  std::vector<LogRecord> records;
  read(*reader, records);
  // A timer flush of the stdout trace while stderr has one open, then more lines of both.
  write(LogStream::kStderr, "java.lang.Error: late", 5001);
  read(*reader, records);
  std::this_thread::sleep_until(*reader->flush_deadline());
  reader->flush_expired(records);
  write(LogStream::kStdout, "plain out", 9000);
  write(LogStream::kStderr, "\tat late.Frame(L.java:1)", 9001);
  rotate_like_dockerd(path_, 3);
  write(LogStream::kStderr, "plain err", 9002);
  read(*reader, records);
  reader->finish(records);
  EXPECT_THAT(seen(records),
              ::testing::UnorderedElementsAre(
                  Seen{LogStream::kStderr, "java.lang.RuntimeException: err\n\tat a.B.c(B.java:1)"},
                  Seen{LogStream::kStdout,
                       "java.lang.IllegalStateException: boom\nCaused by: java.io.IOException: "
                       "disk\n\tat g.H.i(H.java:3)"},
                  Seen{LogStream::kStderr, "java.lang.RuntimeException: other\n\tat x.Y(Y.java:1)"},
                  Seen{LogStream::kStdout, "java.lang.Error: second"},
                  Seen{LogStream::kStdout, "java.lang.IllegalStateException: out"},
                  Seen{LogStream::kStdout, "plain out"},
                  // Flushed by the timer: the frame written seconds later is a record of its own.
                  Seen{LogStream::kStderr, "java.lang.Error: late"},
                  Seen{LogStream::kStderr, "\tat late.Frame(L.java:1)"},
                  Seen{LogStream::kStderr, "plain err"}));
  expect_exactly_once(*this, records);
}

void expect_exactly_once(ReaderMultilineTest& test, const std::vector<LogRecord>& records) {
  const auto by_stream = [](std::vector<Seen> list) {
    std::stable_sort(list.begin(), list.end(),
                     [](const Seen& a, const Seen& b) { return a.first < b.first; });
    return list;
  };
  const std::vector<Seen> expected = by_stream(ReaderMultilineTest::seen(records));
  for (std::size_t delivered = 1; delivered < records.size(); ++delivered) {
    SCOPED_TRACE("killed after record " + std::to_string(delivered));
    const FileResumePoint point = checkpoint_after(records, delivered);
    auto restarted = test.make_reader(point, point.container_position);
    std::vector<LogRecord> again;
    ReaderMultilineTest::read(*restarted, again);
    restarted->finish(again);
    std::vector<Seen> stored =
        ReaderMultilineTest::seen({records.begin(), records.begin() + delivered});
    for (const Seen& record : ReaderMultilineTest::seen(again)) stored.push_back(record);
    EXPECT_EQ(by_stream(stored), expected);
  }
}

TEST_F(ReaderMultilineTest, ATraceClosedByTheOtherStreamsLineResumesBeforeThatLine) {
  options_.multiline[0] = options_.multiline[1];
  write(LogStream::kStderr, "java.lang.RuntimeException: err", 0);
  write(LogStream::kStderr, "\tat a.B.c(B.java:1)", 1);
  // Much later: closes the stderr trace, and opens a stdout one. Delivering the stderr trace
  // must not checkpoint past this line.
  write(LogStream::kStdout, "java.lang.IllegalStateException: out", 5000);
  write(LogStream::kStdout, "\tat x.Y.z(Y.java:9)", 5001);
  auto reader = make_reader();
  std::vector<LogRecord> records;
  read(*reader, records);
  reader->finish(records);
  ASSERT_EQ(records.size(), 2u);
  expect_exactly_once(*this, records);
}

TEST_F(ReaderMultilineTest, AfterATruncationTheOtherStreamsNewLinesAreNotTakenForDelivered) {
  options_.multiline[0] = options_.multiline[1];
  write(LogStream::kStderr, "plain err " + std::string(300, 'e'), 0);
  write(LogStream::kStdout, "plain out", 1);
  auto reader = make_reader();
  std::vector<LogRecord> records;
  read(*reader, records);
  // Truncated (not by dockerd: by hand), then written again from offset 0.
  std::filesystem::resize_file(path_, 0);
  write(LogStream::kStderr, "java.lang.Error: new", 10);
  write(LogStream::kStderr, "\tat a.b(C.java:1)", 11);
  write(LogStream::kStdout, "fresh", 12);
  read(*reader, records);
  ASSERT_EQ(seen(records).back(), (Seen{LogStream::kStdout, "fresh"}));
  // Killed after "fresh": the open trace, at offsets below stderr's old end, is read again.
  const FileResumePoint point = checkpoint_after(records, records.size());
  auto restarted = make_reader(point, point.container_position);
  std::vector<LogRecord> again;
  read(*restarted, again);
  restarted->finish(again);
  EXPECT_THAT(seen(again),
              ElementsAre(Seen{LogStream::kStderr, "java.lang.Error: new\n\tat a.b(C.java:1)"}));
}

TEST_F(ReaderMultilineTest, TheContainersEndDeliversTheOpenTrace) {
  write(LogStream::kStderr, "java.lang.Error: last words", 0);
  write(LogStream::kStderr, "\tat Main.main(Main.java:1)", 1);
  auto reader = make_reader();
  std::vector<LogRecord> records;
  read(*reader, records);
  EXPECT_TRUE(records.empty());
  reader->finish(records);
  EXPECT_THAT(seen(records), ElementsAre(Seen{LogStream::kStderr,
                                              "java.lang.Error: last words\n\tat "
                                              "Main.main(Main.java:1)"}));
}

TEST_F(ReaderMultilineTest, ALaterLineOfTheOtherStreamClosesTheOpenTrace) {
  // A busy stdout never lets the reader idle: its times tell that the trace is over.
  write(LogStream::kStderr, "java.lang.Error: x", 0);
  write(LogStream::kStderr, "\tat a.b(C.java:1)", 1);
  write(LogStream::kStdout, "soon", 100);  // within flush_timeout + margin: could still join
  auto reader = make_reader();
  std::vector<LogRecord> records;
  read(*reader, records);
  EXPECT_THAT(seen(records), ElementsAre(Seen{LogStream::kStdout, "soon"}));
  write(LogStream::kStdout, "later", 400);
  read(*reader, records);
  EXPECT_THAT(seen(records),
              ElementsAre(Seen{LogStream::kStdout, "soon"},
                          Seen{LogStream::kStderr, "java.lang.Error: x\n\tat a.b(C.java:1)"},
                          Seen{LogStream::kStdout, "later"}));
}

}  // namespace
}  // namespace lc::json_file
