#include "docker/docker_event.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "docker_json_fixtures.hpp"

namespace lc::docker {
namespace {

std::vector<std::string> split_in_pieces(EventLineSplitter& splitter, std::string_view bytes,
                                         std::size_t piece) {
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    splitter.feed(bytes.substr(at, piece),
                  [&](std::string_view line) { lines.emplace_back(line); });
  }
  return lines;
}

TEST(DockerEventTest, ParsesRealContainerEvents) {
  EventLineSplitter splitter;
  const auto lines = split_in_pieces(splitter, fixtures::kEventsStreamText, 1 << 20);
  ASSERT_EQ(lines.size(), 12u);
  std::vector<std::string> actions;
  for (const auto& line : lines) {
    const auto event = parse_docker_event(line);
    ASSERT_TRUE(event) << line;
    EXPECT_EQ(event->type, "container");
    actions.push_back(event->action);
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"create", "attach", "start", "die", "destroy", "rename",
                                      "kill", "kill", "die", "die", "destroy", "destroy"}));
  const auto start = parse_docker_event(lines[2]);
  EXPECT_EQ(start->id, "2a4056dc049e85fb50965a4f9554de2786c77f162e539c2a852049588c2290d0");
  EXPECT_EQ(start->name, "lc-capture-e");
  EXPECT_EQ(start->time, 1795413208169033500);
  const auto rename = parse_docker_event(lines[5]);
  EXPECT_EQ(rename->name, "lc-capture-a2");
  EXPECT_EQ(rename->id, "6f351b498c4b2a94d8f2f5a828298a4b5f8b20459c681ac7d6a567c760c70df8");
}

TEST(DockerEventTest, FallsBackToSecondsAndTopLevelId) {
  const auto event =
      parse_docker_event(R"({"id":"abc","Type":"container","Action":"die","time":12})");
  ASSERT_TRUE(event);
  EXPECT_EQ(event->id, "abc");
  EXPECT_EQ(event->time, 12'000'000'000);
  EXPECT_EQ(event->name, "");
}

TEST(DockerEventTest, RejectsMalformedEvents) {
  EXPECT_FALSE(parse_docker_event(""));
  EXPECT_FALSE(parse_docker_event("{\"Type\":\"container\""));
  EXPECT_FALSE(parse_docker_event("[1,2]"));
  EXPECT_FALSE(parse_docker_event(R"({"Type":"container","Action":"start"})"));    // no id
  EXPECT_FALSE(parse_docker_event(R"({"Action":"start","Actor":{"ID":"a"}})"));    // no type
  EXPECT_FALSE(parse_docker_event(R"({"Type":"container","Actor":{"ID":"a"}})"));  // no action
}

TEST(EventLineSplitterTest, SameLinesWhateverThePieceSize) {
  for (std::size_t piece : {1u, 2u, 7u, 64u, 333u, 100000u}) {
    EventLineSplitter splitter;
    const auto lines = split_in_pieces(splitter, fixtures::kEventsStreamText, piece);
    ASSERT_EQ(lines.size(), 12u) << piece;
    EXPECT_TRUE(lines[0].starts_with("{\"status\":\"create\"")) << piece;
    EXPECT_TRUE(lines[5].ends_with("\"timeNano\":1795413208214315257}")) << piece;
    EXPECT_EQ(splitter.pending_bytes(), 0u);
  }
}

TEST(EventLineSplitterTest, KeepsAnUnfinishedLineAndSkipsEmptyOnesAndCarriageReturns) {
  EventLineSplitter splitter;
  std::vector<std::string> lines;
  const auto collect = [&](std::string_view line) { lines.emplace_back(line); };
  splitter.feed("a\r\n\n\nbc", collect);
  EXPECT_EQ(lines, (std::vector<std::string>{"a"}));
  EXPECT_EQ(splitter.pending_bytes(), 2u);
  splitter.feed("d\n", collect);
  EXPECT_EQ(lines, (std::vector<std::string>{"a", "bcd"}));
}

TEST(EventLineSplitterTest, DropsOverlongLinesAndRecovers) {
  EventLineSplitter splitter(8);
  std::vector<std::string> lines;
  const auto collect = [&](std::string_view line) { lines.emplace_back(line); };
  splitter.feed("12345", collect);
  splitter.feed("67890abc", collect);  // 13 bytes: over the limit, dropped
  EXPECT_EQ(splitter.pending_bytes(), 0u);
  splitter.feed("def\nok\n12345678\n123456789\nend\n", collect);
  EXPECT_EQ(lines, (std::vector<std::string>{"ok", "12345678", "end"}));
  EXPECT_EQ(splitter.dropped_lines(), 2u);
}

}  // namespace
}  // namespace lc::docker
