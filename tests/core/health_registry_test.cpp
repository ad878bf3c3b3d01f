#include "core/health_registry.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace lc {
namespace {

TEST(HealthRegistry, DegradedWhenAnyComponentIsUnhealthy) {
  HealthRegistry health;
  EXPECT_TRUE(health.all_healthy());
  health.set("docker", true, "connected");
  health.set("sink.file_store", false, "No space left on device");
  EXPECT_FALSE(health.all_healthy());
  const auto json = nlohmann::json::parse(health.to_json());
  EXPECT_EQ(json["status"], "degraded");
  EXPECT_EQ(json["components"]["sink.file_store"]["detail"], "No space left on device");
  EXPECT_EQ(json["components"]["docker"]["healthy"], true);
  health.set("sink.file_store", true);
  EXPECT_EQ(nlohmann::json::parse(health.to_json())["status"], "ok");
  health.remove("docker");
  EXPECT_EQ(health.snapshot().size(), 1u);
}

}  // namespace
}  // namespace lc
