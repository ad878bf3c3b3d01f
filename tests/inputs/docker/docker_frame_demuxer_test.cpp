#include "inputs/docker/docker_frame_demuxer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/docker_frames.hpp"

namespace lc::docker_input {
namespace {

std::string demuxer_frame(std::uint8_t stream, std::string_view payload) {
  return lc::testing::docker_frame(stream, payload);
}

struct SeenFrame {
  FrameStream stream;
  std::string payload;
  bool operator==(const SeenFrame&) const = default;
};

void PrintTo(const SeenFrame& f, std::ostream* os) {
  *os << "{" << static_cast<int>(f.stream) << ", \"" << f.payload << "\"}";
}

struct Collector {
  std::vector<SeenFrame> frames;
  bool operator()(const Frame& f) {
    frames.push_back({f.stream, std::string(f.payload)});
    return true;
  }
};

TEST(DockerFrameDemuxer, ParsesValidHeaders) {
  const auto header = DockerFrameDemuxer::parse_header("\x02\0\0\0\x00\x01\x02\x03");
  ASSERT_TRUE(header);
  EXPECT_EQ(header->stream, FrameStream::kStderr);
  EXPECT_EQ(header->payload_bytes, 0x010203u);
  const auto largest = DockerFrameDemuxer::parse_header("\x00\0\0\0\x00\x10\x00\x40");
  ASSERT_TRUE(largest);
  EXPECT_EQ(largest->stream, FrameStream::kStdin);
  EXPECT_EQ(largest->payload_bytes, DockerFrameDemuxer::kMaxPayloadBytes);
}

TEST(DockerFrameDemuxer, RejectsBadHeaders) {
  EXPECT_FALSE(DockerFrameDemuxer::parse_header("\x03\0\0\0\0\0\0\x01"));        // stream 3
  EXPECT_FALSE(DockerFrameDemuxer::parse_header("2026-11-"));                    // a TTY body
  EXPECT_FALSE(DockerFrameDemuxer::parse_header("\x01\0\x01\0\0\0\0\x01"));      // padding
  EXPECT_FALSE(DockerFrameDemuxer::parse_header("\x01\0\0\0\x00\x10\x00\x41"));  // too long
  EXPECT_FALSE(DockerFrameDemuxer::parse_header("\x01\0\0\0\xff\xff\xff\xff"));
}

TEST(DockerFrameDemuxer, HandsOverWholeFramesWithoutCopying) {
  DockerFrameDemuxer demuxer;
  const std::string body =
      demuxer_frame(1, "out\n") + demuxer_frame(2, "err\n") + demuxer_frame(0, "in\n");
  std::vector<const char*> payload_addresses;
  Collector collector;
  const DemuxStatus status = demuxer.feed(body, [&](const Frame& f) {
    payload_addresses.push_back(f.payload.data());
    return collector(f);
  });
  EXPECT_EQ(status, DemuxStatus::kOk);
  EXPECT_EQ(collector.frames, (std::vector<SeenFrame>{{FrameStream::kStdout, "out\n"},
                                                      {FrameStream::kStderr, "err\n"},
                                                      {FrameStream::kStdin, "in\n"}}));
  ASSERT_EQ(payload_addresses.size(), 3u);
  EXPECT_EQ(payload_addresses[0], body.data() + 8);
  EXPECT_FALSE(demuxer.has_partial_frame());
}

TEST(DockerFrameDemuxer, SameFramesWhateverTheSplit) {
  std::string body;
  std::vector<SeenFrame> expected;
  for (int i = 0; i < 50; ++i) {
    const std::string payload(static_cast<std::size_t>(i * 37 % 300),
                              static_cast<char>('a' + i % 26));
    const auto stream = static_cast<std::uint8_t>(1 + i % 2);
    body += demuxer_frame(stream, payload);
    expected.push_back({static_cast<FrameStream>(stream), payload});
  }
  for (std::size_t chunk : {1u, 2u, 3u, 7u, 8u, 9u, 64u, 1000u}) {
    DockerFrameDemuxer demuxer;
    Collector collector;
    for (std::size_t pos = 0; pos < body.size(); pos += chunk) {
      ASSERT_EQ(demuxer.feed(std::string_view(body).substr(pos, chunk), collector),
                DemuxStatus::kOk);
    }
    EXPECT_EQ(collector.frames, expected) << "chunk " << chunk;
    EXPECT_FALSE(demuxer.has_partial_frame());
  }
}

TEST(DockerFrameDemuxer, KeepsAnUnfinishedFrame) {
  DockerFrameDemuxer demuxer;
  Collector collector;
  const std::string body = demuxer_frame(1, "hello\n");
  EXPECT_EQ(demuxer.feed(std::string_view(body).substr(0, 5), collector), DemuxStatus::kOk);
  EXPECT_TRUE(demuxer.has_partial_frame());
  EXPECT_EQ(demuxer.feed(std::string_view(body).substr(5, 5), collector), DemuxStatus::kOk);
  EXPECT_TRUE(collector.frames.empty());
  EXPECT_EQ(demuxer.feed(std::string_view(body).substr(10), collector), DemuxStatus::kOk);
  EXPECT_EQ(collector.frames, (std::vector<SeenFrame>{{FrameStream::kStdout, "hello\n"}}));
  EXPECT_FALSE(demuxer.has_partial_frame());
}

TEST(DockerFrameDemuxer, EmptyPayloadIsAFrame) {
  DockerFrameDemuxer demuxer;
  Collector collector;
  EXPECT_EQ(demuxer.feed(demuxer_frame(2, "") + demuxer_frame(1, "x"), collector),
            DemuxStatus::kOk);
  EXPECT_EQ(collector.frames,
            (std::vector<SeenFrame>{{FrameStream::kStderr, ""}, {FrameStream::kStdout, "x"}}));
}

TEST(DockerFrameDemuxer, MalformedHeaderStopsForGood) {
  DockerFrameDemuxer demuxer;
  Collector collector;
  const std::string body = demuxer_frame(1, "ok\n") + std::string("\x05\0\0\0\0\0\0\x01x", 9);
  EXPECT_EQ(demuxer.feed(body, collector), DemuxStatus::kMalformedHeader);
  EXPECT_EQ(collector.frames, (std::vector<SeenFrame>{{FrameStream::kStdout, "ok\n"}}));
  EXPECT_EQ(demuxer.feed(demuxer_frame(1, "later\n"), collector), DemuxStatus::kMalformedHeader);
  EXPECT_EQ(collector.frames.size(), 1u);
  EXPECT_EQ(demuxer.status(), DemuxStatus::kMalformedHeader);
}

TEST(DockerFrameDemuxer, MalformedHeaderSplitAcrossCalls) {
  DockerFrameDemuxer demuxer;
  Collector collector;
  EXPECT_EQ(demuxer.feed(std::string("\x01\0\0", 3), collector), DemuxStatus::kOk);
  EXPECT_EQ(demuxer.feed(std::string("\x01\0\0\0\x01", 5), collector),
            DemuxStatus::kMalformedHeader);
  EXPECT_TRUE(collector.frames.empty());
}

TEST(DockerFrameDemuxer, CallbackCanStop) {
  DockerFrameDemuxer demuxer;
  int calls = 0;
  const auto stop_at_second = [&](const Frame&) { return ++calls < 2; };
  EXPECT_EQ(demuxer.feed(demuxer_frame(1, "a") + demuxer_frame(1, "b") + demuxer_frame(1, "c"),
                         stop_at_second),
            DemuxStatus::kStopped);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace lc::docker_input
