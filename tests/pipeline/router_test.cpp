#include "pipeline/router.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

namespace lc {
namespace {

LogRecord record_of(const ContainerMetadataPtr& owner, LogStream stream, std::string message) {
  LogRecord record;
  record.container = owner;
  record.stream = stream;
  record.message = std::move(message);
  return record;
}

ContainerMetadataPtr named_container(const std::string& name) {
  auto metadata = std::make_shared<ContainerMetadata>();
  metadata->name = name;
  return metadata;
}

RouteConfig route_to(std::vector<std::string> sinks, std::vector<std::string> names = {},
                     std::string message = {}) {
  RouteConfig route_to;
  route_to.sinks = std::move(sinks);
  route_to.match.container_names = std::move(names);
  route_to.match.message = std::move(message);
  return route_to;
}

const std::vector<std::string> kLanes{"file_store", "loki", "audit"};

TEST(RouterTest, NoRoutesSendEverythingEverywhere) {
  const Router router({}, kLanes);
  EXPECT_TRUE(router.routes_everything_everywhere());
  EXPECT_EQ(router.lanes_for(record_of(named_container("a"), LogStream::kStdout, "x")), 0b111u);
}

TEST(RouterTest, ARecordGoesToTheUnionOfTheRoutesItMatches) {
  const Router router({route_to({"loki"}, {"web*"}), route_to({"audit", "loki"}, {}, "^AUDIT"),
                       route_to({"file_store"})},
                      kLanes);
  EXPECT_TRUE(router.has_catch_all());
  EXPECT_EQ(router.lanes_for(record_of(named_container("db"), LogStream::kStdout, "x")), 0b001u);
  EXPECT_EQ(router.lanes_for(record_of(named_container("web-1"), LogStream::kStdout, "x")), 0b011u);
  EXPECT_EQ(router.lanes_for(record_of(named_container("db"), LogStream::kStdout, "AUDIT y")),
            0b111u);
}

TEST(RouterTest, RecordsMatchingNoRouteGoNowhere) {
  const Router router({route_to({"loki"}, {"web*"})}, kLanes);
  EXPECT_FALSE(router.has_catch_all());
  EXPECT_EQ(router.lanes_for(record_of(named_container("db"), LogStream::kStdout, "x")), 0u);
}

TEST(RouterTest, LanesForEachAnswersPerRecordWhenARouteLooksAtMessages) {
  const auto web = named_container("web");
  const auto db = named_container("db");
  std::vector<LogRecord> records;
  records.push_back(record_of(web, LogStream::kStdout, "a"));
  records.push_back(record_of(web, LogStream::kStdout, "b"));
  records.push_back(record_of(db, LogStream::kStdout, "c"));
  records.push_back(record_of(db, LogStream::kStderr, "d"));
  std::vector<Router::LaneSet> lanes;
  Router({route_to({"loki"}, {"web"}), route_to({"audit"}, {"db"})}, kLanes)
      .lanes_for_each(records, lanes);
  EXPECT_EQ(lanes, (std::vector<Router::LaneSet>{0b010, 0b010, 0b100, 0b100}));
  Router({route_to({"loki"}, {}, "^[ac]$")}, kLanes).lanes_for_each(records, lanes);
  EXPECT_EQ(lanes, (std::vector<Router::LaneSet>{0b010, 0, 0b010, 0}));
}

TEST(RouterTest, ARouteToAnUnknownSinkIsRefused) {
  EXPECT_THROW(Router({route_to({"kafka"})}, kLanes), std::invalid_argument);
}

}  // namespace
}  // namespace lc
