#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/log_record.hpp"

namespace lc::testing {

inline constexpr TimestampNs kLokiTestBaseTime = 1'700'000'000'123'456'789;

// A container as inspect reports it; compose labels only when `project` is set.
inline ContainerMetadataPtr make_loki_test_container(
    const std::string& name, const std::string& project = {}, const std::string& service = {},
    std::map<std::string, std::string> labels = {}) {
  auto meta = std::make_shared<ContainerMetadata>();
  meta->id = std::string(64 - name.size() % 64, 'c') + name.substr(0, name.size() % 64);
  meta->name = name;
  meta->image = "registry.local/" + name + ":1.0";
  meta->compose_project = project;
  meta->compose_service = service;
  if (!project.empty()) labels["com.docker.compose.project"] = project;
  if (!service.empty()) labels["com.docker.compose.service"] = service;
  meta->labels = std::move(labels);
  return meta;
}

inline LogRecord make_loki_test_record(const ContainerMetadataPtr& container, TimestampNs time,
                                       std::string message, LogStream stream = LogStream::kStdout) {
  LogRecord record;
  record.time = time;
  record.stream = stream;
  record.container = container;
  record.message = std::move(message);
  return record;
}

// `count` records per container, interleaved container by container, 1 µs apart.
inline std::vector<LogRecord> make_loki_test_batch(
    const std::vector<ContainerMetadataPtr>& containers, std::size_t count,
    TimestampNs first_time = kLokiTestBaseTime) {
  std::vector<LogRecord> batch;
  for (std::size_t i = 0; i < count; ++i) {
    for (const auto& container : containers) {
      batch.push_back(make_loki_test_record(
          container, first_time + static_cast<TimestampNs>(batch.size()) * 1000,
          container->name + " line " + std::to_string(i)));
    }
  }
  return batch;
}

}  // namespace lc::testing
