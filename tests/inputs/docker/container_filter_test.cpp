#include "inputs/docker/container_filter.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lc::docker_input {
namespace {

ContainerMetadata container(std::string name, std::string image,
                            std::map<std::string, std::string> labels = {}) {
  ContainerMetadata metadata;
  metadata.id = std::string(64, 'f');
  metadata.name = std::move(name);
  metadata.image = std::move(image);
  metadata.labels = std::move(labels);
  return metadata;
}

const ContainerMetadata kWebContainer = container("shop-web-1", "shop/web:1.4",
                                                  {{"com.docker.compose.project", "shop"},
                                                   {"com.docker.compose.service", "web"},
                                                   {"logging", "enabled"}});
const ContainerMetadata kDb = container("shop-db-1", "postgres:16",
                                        {{"com.docker.compose.project", "shop"},
                                         {"com.docker.compose.service", "db"},
                                         {"logging", "disabled"}});
const ContainerMetadata kBare = container("elegant_turing", "busybox");

TEST(ContainerFilter, EmptyConfigCapturesEverything) {
  const ContainerFilter filter(ContainerFilterConfig{});
  EXPECT_TRUE(filter.matches(kWebContainer));
  EXPECT_TRUE(filter.matches(kDb));
  EXPECT_TRUE(filter.matches(kBare));
}

TEST(ContainerFilter, IncludeNamesAreGlobsAndAnyOneSuffices) {
  ContainerFilterConfig config;
  config.include_names = {"shop-web-*", "elegant_?uring"};
  const ContainerFilter filter(config);
  EXPECT_TRUE(filter.matches(kWebContainer));
  EXPECT_FALSE(filter.matches(kDb));
  EXPECT_TRUE(filter.matches(kBare));
}

TEST(ContainerFilter, NameGlobMustMatchTheWholeName) {
  ContainerFilterConfig config;
  config.include_names = {"web"};
  EXPECT_FALSE(ContainerFilter(config).matches(kWebContainer));
  config.include_names = {"*web*"};
  EXPECT_TRUE(ContainerFilter(config).matches(kWebContainer));
}

TEST(ContainerFilter, NameGlobSupportsCharacterClasses) {
  ContainerFilterConfig config;
  config.include_names = {"shop-[dw]*-[0-9]"};
  const ContainerFilter filter(config);
  EXPECT_TRUE(filter.matches(kWebContainer));
  EXPECT_TRUE(filter.matches(kDb));
  EXPECT_FALSE(filter.matches(kBare));
}

TEST(ContainerFilter, ExcludeNameWinsOverInclude) {
  ContainerFilterConfig config;
  config.include_names = {"shop-*"};
  config.exclude_names = {"*-db-*"};
  const ContainerFilter filter(config);
  EXPECT_TRUE(filter.matches(kWebContainer));
  EXPECT_FALSE(filter.matches(kDb));
  EXPECT_FALSE(filter.matches(kBare));  // not included in the first place
}

TEST(ContainerFilter, ExcludeAloneKeepsEverythingElse) {
  ContainerFilterConfig config;
  config.exclude_names = {"elegant_*"};
  const ContainerFilter filter(config);
  EXPECT_TRUE(filter.matches(kWebContainer));
  EXPECT_TRUE(filter.matches(kDb));
  EXPECT_FALSE(filter.matches(kBare));
}

TEST(ContainerFilter, IncludeLabelByPresence) {
  ContainerFilterConfig config;
  config.include_labels = {"com.docker.compose.project"};
  const ContainerFilter filter(config);
  EXPECT_TRUE(filter.matches(kWebContainer));
  EXPECT_TRUE(filter.matches(kDb));
  EXPECT_FALSE(filter.matches(kBare));
}

TEST(ContainerFilter, IncludeLabelByValue) {
  ContainerFilterConfig config;
  config.include_labels = {"com.docker.compose.service=web"};
  const ContainerFilter filter(config);
  EXPECT_TRUE(filter.matches(kWebContainer));
  EXPECT_FALSE(filter.matches(kDb));
  EXPECT_FALSE(filter.matches(kBare));
}

TEST(ContainerFilter, ExcludeLabelByValue) {
  ContainerFilterConfig config;
  config.exclude_labels = {"logging=disabled"};
  const ContainerFilter filter(config);
  EXPECT_TRUE(filter.matches(kWebContainer));
  EXPECT_FALSE(filter.matches(kDb));
  EXPECT_TRUE(filter.matches(kBare));  // no such label: not excluded
}

TEST(ContainerFilter, IncludeImageGlob) {
  ContainerFilterConfig config;
  config.include_images = {"shop/*"};
  const ContainerFilter filter(config);
  EXPECT_TRUE(filter.matches(kWebContainer));
  EXPECT_FALSE(filter.matches(kDb));
  EXPECT_FALSE(filter.matches(kBare));
}

TEST(ContainerFilter, ExcludeImageGlob) {
  ContainerFilterConfig config;
  config.exclude_images = {"postgres:*", "busybox"};
  const ContainerFilter filter(config);
  EXPECT_TRUE(filter.matches(kWebContainer));
  EXPECT_FALSE(filter.matches(kDb));
  EXPECT_FALSE(filter.matches(kBare));
}

TEST(ContainerFilter, EveryNonEmptyIncludeListMustMatch) {
  ContainerFilterConfig config;
  config.include_names = {"shop-*"};
  config.include_labels = {"logging=enabled"};
  config.include_images = {"*"};
  const ContainerFilter filter(config);
  EXPECT_TRUE(filter.matches(kWebContainer));
  EXPECT_FALSE(filter.matches(kDb));    // name matches, label does not
  EXPECT_FALSE(filter.matches(kBare));  // label matches nothing
}

TEST(ContainerFilter, AnyExcludeListCanExclude) {
  ContainerFilterConfig config;
  config.exclude_images = {"shop/web:*"};
  EXPECT_FALSE(ContainerFilter(config).matches(kWebContainer));
  config = {};
  config.exclude_labels = {"com.docker.compose.service"};
  EXPECT_FALSE(ContainerFilter(config).matches(kWebContainer));
  EXPECT_TRUE(ContainerFilter(config).matches(kBare));
}

TEST(LabelSelector, PresenceAndValue) {
  const std::map<std::string, std::string> labels = {
      {"tier", "front"}, {"empty", ""}, {"url", "a=b"}};
  EXPECT_TRUE(label_selector_matches("tier", labels));
  EXPECT_TRUE(label_selector_matches("tier=front", labels));
  EXPECT_FALSE(label_selector_matches("tier=back", labels));
  EXPECT_FALSE(label_selector_matches("tier=fron", labels));  // values are exact, not globs
  EXPECT_FALSE(label_selector_matches("missing", labels));
  EXPECT_FALSE(label_selector_matches("missing=", labels));
}

TEST(LabelSelector, EmptyValueMatchesOnlyAnEmptyLabel) {
  const std::map<std::string, std::string> labels = {{"empty", ""}, {"tier", "front"}};
  EXPECT_TRUE(label_selector_matches("empty=", labels));
  EXPECT_TRUE(label_selector_matches("empty", labels));
  EXPECT_FALSE(label_selector_matches("tier=", labels));
}

TEST(LabelSelector, ValueMayContainEqualsSigns) {
  const std::map<std::string, std::string> labels = {{"url", "a=b"}};
  EXPECT_TRUE(label_selector_matches("url=a=b", labels));
  EXPECT_FALSE(label_selector_matches("url=a", labels));
  EXPECT_FALSE(label_selector_matches("url=a=b=c", labels));
}

}  // namespace
}  // namespace lc::docker_input
