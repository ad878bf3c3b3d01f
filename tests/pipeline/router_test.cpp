#include "pipeline/router.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

namespace lc {
namespace {

LogRecord record_of(const ContainerMetadataPtr& container, LogStream stream, std::string message) {
  LogRecord record;
  record.container = container;
  record.stream = stream;
  record.message = std::move(message);
  return record;
}

ContainerMetadataPtr container(const std::string& name) {
  auto metadata = std::make_shared<ContainerMetadata>();
  metadata->name = name;
  return metadata;
}

RouteConfig route(std::vector<std::string> sinks, std::vector<std::string> names = {},
                  std::string message = {}) {
  RouteConfig route;
  route.sinks = std::move(sinks);
  route.match.container_names = std::move(names);
  route.match.message = std::move(message);
  return route;
}

const std::vector<std::string> kLanes{"file_store", "loki", "audit"};

TEST(RouterTest, NoRoutesSendEverythingEverywhere) {
  const Router router({}, kLanes);
  EXPECT_TRUE(router.routes_everything_everywhere());
  EXPECT_EQ(router.lanes_for(record_of(container("a"), LogStream::kStdout, "x")), 0b111u);
}

TEST(RouterTest, ARecordGoesToTheUnionOfTheRoutesItMatches) {
  const Router router(
      {route({"loki"}, {"web*"}), route({"audit", "loki"}, {}, "^AUDIT"), route({"file_store"})},
      kLanes);
  EXPECT_TRUE(router.has_catch_all());
  EXPECT_EQ(router.lanes_for(record_of(container("db"), LogStream::kStdout, "x")), 0b001u);
  EXPECT_EQ(router.lanes_for(record_of(container("web-1"), LogStream::kStdout, "x")), 0b011u);
  EXPECT_EQ(router.lanes_for(record_of(container("db"), LogStream::kStdout, "AUDIT y")), 0b111u);
}

TEST(RouterTest, RecordsMatchingNoRouteGoNowhere) {
  const Router router({route({"loki"}, {"web*"})}, kLanes);
  EXPECT_FALSE(router.has_catch_all());
  EXPECT_EQ(router.lanes_for(record_of(container("db"), LogStream::kStdout, "x")), 0u);
}

TEST(RouterTest, LanesForEachAnswersPerRecordWhenARouteLooksAtMessages) {
  const auto web = container("web");
  const auto db = container("db");
  std::vector<LogRecord> records;
  records.push_back(record_of(web, LogStream::kStdout, "a"));
  records.push_back(record_of(web, LogStream::kStdout, "b"));
  records.push_back(record_of(db, LogStream::kStdout, "c"));
  records.push_back(record_of(db, LogStream::kStderr, "d"));
  std::vector<Router::LaneSet> lanes;
  Router({route({"loki"}, {"web"}), route({"audit"}, {"db"})}, kLanes)
      .lanes_for_each(records, lanes);
  EXPECT_EQ(lanes, (std::vector<Router::LaneSet>{0b010, 0b010, 0b100, 0b100}));
  Router({route({"loki"}, {}, "^[ac]$")}, kLanes).lanes_for_each(records, lanes);
  EXPECT_EQ(lanes, (std::vector<Router::LaneSet>{0b010, 0, 0b010, 0}));
}

TEST(RouterTest, ARouteToAnUnknownSinkIsRefused) {
  EXPECT_THROW(Router({route({"kafka"})}, kLanes), std::invalid_argument);
}

}  // namespace
}  // namespace lc
