#include "docker/container_inspect.hpp"

#include <gtest/gtest.h>

#include "docker_json_fixtures.hpp"

namespace lc::docker {
namespace {

TEST(ContainerInspectTest, ParsesRunningContainerWithComposeLabels) {
  const auto metadata = parse_container_inspect(fixtures::kInspectRunningComposeJson);
  ASSERT_TRUE(metadata);
  EXPECT_EQ(metadata->id, "6f351b498c4b2a94d8f2f5a828298a4b5f8b20459c681ac7d6a567c760c70df8");
  EXPECT_EQ(metadata->name, "lc-capture-a");
  EXPECT_EQ(metadata->image, "lc-busybox:test");
  EXPECT_EQ(metadata->labels.size(), 3u);
  EXPECT_EQ(metadata->labels.at("other"), "x");
  EXPECT_EQ(metadata->compose_project, "proj");
  EXPECT_EQ(metadata->compose_service, "web");
  EXPECT_FALSE(metadata->tty);
  EXPECT_TRUE(metadata->running);
  EXPECT_EQ(metadata->log_driver, "json-file");
  EXPECT_EQ(metadata->log_path,
            "/tmp/dk/data/containers/"
            "6f351b498c4b2a94d8f2f5a828298a4b5f8b20459c681ac7d6a567c760c70df8/"
            "6f351b498c4b2a94d8f2f5a828298a4b5f8b20459c681ac7d6a567c760c70df8-json.log");
}

TEST(ContainerInspectTest, ParsesTtyAndExitedContainers) {
  const auto tty = parse_container_inspect(fixtures::kInspectTtyJson);
  ASSERT_TRUE(tty);
  EXPECT_TRUE(tty->tty);
  EXPECT_EQ(tty->name, "lc-capture-t");
  EXPECT_TRUE(tty->labels.empty());
  EXPECT_EQ(tty->compose_project, "");

  const auto exited = parse_container_inspect(fixtures::kInspectExitedJson);
  ASSERT_TRUE(exited);
  EXPECT_FALSE(exited->running);
  EXPECT_EQ(exited->started_at, "2026-11-23T05:47:31.614748171Z");
  EXPECT_EQ(exited->name, "gifted_bose");
  EXPECT_EQ(exited->id, "a4ecf9f00e0425faa7601ade736e4bdba3d023f115c7b469b5bb8f0108738d5b");
}

TEST(ContainerInspectTest, ToleratesNullAndMissingFields) {
  const auto metadata = parse_container_inspect(
      R"({"Id":"abc","Name":"/n","Config":{"Labels":null,"Tty":null},"HostConfig":null})");
  ASSERT_TRUE(metadata);
  EXPECT_EQ(metadata->id, "abc");
  EXPECT_EQ(metadata->name, "n");
  EXPECT_TRUE(metadata->labels.empty());
  EXPECT_FALSE(metadata->tty);
  EXPECT_FALSE(metadata->running);
  EXPECT_EQ(metadata->log_driver, "");
  EXPECT_EQ(metadata->log_path, "");
}

TEST(ContainerInspectTest, RejectsMalformedInput) {
  EXPECT_FALSE(parse_container_inspect(""));
  EXPECT_FALSE(parse_container_inspect("{"));
  EXPECT_FALSE(parse_container_inspect("[]"));
  EXPECT_FALSE(parse_container_inspect(R"({"Name":"/no-id"})"));
  EXPECT_FALSE(parse_container_inspect(R"({"Id":42})"));
  EXPECT_FALSE(parse_container_inspect(R"({"message":"No such container: nope"})"));
}

TEST(ContainerListTest, ParsesRealList) {
  const auto list = parse_container_list(fixtures::kContainerListJson);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].id, "f02457af24c38ecd645dc46f6a27d1b794c06897d469e9afc47381eb7ab2e808");
  EXPECT_EQ((*list)[0].name, "lc-capture-t");
  EXPECT_EQ((*list)[0].image, "lc-busybox:test");
  EXPECT_EQ((*list)[0].state, "running");
  EXPECT_EQ((*list)[2].name, "gifted_bose");
  EXPECT_EQ((*list)[2].state, "exited");
}

TEST(ContainerListTest, SkipsEntriesWithoutIdAndRejectsNonArrays) {
  const auto list = parse_container_list(R"([{"Names":["/x"]},{"Id":"b","Names":[]},7])");
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, "b");
  EXPECT_EQ((*list)[0].name, "");
  EXPECT_TRUE(parse_container_list("[]")->empty());
  EXPECT_FALSE(parse_container_list(R"({"Id":"a"})"));
  EXPECT_FALSE(parse_container_list("not json"));
}

}  // namespace
}  // namespace lc::docker
