#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/log_record.hpp"

namespace lc::testing {

// Containers and records for the disk buffer and dead-letter tests: every field set, so that
// a round trip that forgets one fails.
inline ContainerMetadataPtr make_container(const std::string& name) {
  auto metadata = std::make_shared<ContainerMetadata>();
  metadata->id = (name + std::string(64, '0')).substr(0, 64);
  metadata->name = name;
  metadata->image = "shop/" + name + ":1.4";
  metadata->labels = {
      {"com.docker.compose.project", "shop"}, {"com.docker.compose.service", name}, {"empty", ""}};
  metadata->compose_project = "shop";
  metadata->compose_service = name;
  metadata->tty = true;
  metadata->running = true;
  metadata->log_driver = "json-file";
  metadata->log_path = "/var/lib/docker/containers/" + name + "-json.log";
  return metadata;
}

// One file source shared by the records that make_record() marks as read from a file.
inline const FileSourcePtr& test_file_source() {
  static const FileSourcePtr source = std::make_shared<FileSource>(
      FileSource{"/var/log/app/app.log", {{"app", "billing"}, {"team", "payments"}}, "files"});
  return source;
}

inline LogRecord make_record(const ContainerMetadataPtr& container, std::uint32_t n,
                             std::size_t message_bytes = 0) {
  LogRecord record;
  record.time = 1'700'000'000'000'000'000 + static_cast<TimestampNs>(n) * 1000;
  record.index_at_time = n % 3;
  record.stream = n % 2 == 0 ? LogStream::kStdout : LogStream::kStderr;
  record.truncated = n % 5 == 0;
  record.invalid = n % 7 == 0;
  record.container = container;
  record.message = "line " + std::to_string(n);
  if (message_bytes > record.message.size()) record.message.resize(message_bytes, 'x');
  if (n % 4 == 0) record.file_position = {{2049, 1000 + n}, 4096ull * n};
  if (n % 4 == 0) record.file_fingerprint = 0xfeedface00000000ull + n;
  if (n % 3 == 1) record.file_source = test_file_source();
  return record;
}

inline std::vector<LogRecord> make_records(const ContainerMetadataPtr& container,
                                           std::uint32_t first, std::uint32_t count,
                                           std::size_t message_bytes = 0) {
  std::vector<LogRecord> records;
  for (std::uint32_t n = first; n < first + count; ++n) {
    records.push_back(make_record(container, n, message_bytes));
  }
  return records;
}

// Field by field, containers by value (the pointers differ after a round trip).
inline bool same_record(const LogRecord& a, const LogRecord& b) {
  const bool same_container =
      (!a.container && !b.container) ||
      (a.container && b.container && a.container->id == b.container->id &&
       a.container->name == b.container->name && a.container->image == b.container->image &&
       a.container->labels == b.container->labels &&
       a.container->compose_project == b.container->compose_project &&
       a.container->compose_service == b.container->compose_service &&
       a.container->tty == b.container->tty && a.container->running == b.container->running &&
       a.container->log_driver == b.container->log_driver &&
       a.container->log_path == b.container->log_path);
  const bool same_file_source =
      (!a.file_source && !b.file_source) ||
      (a.file_source && b.file_source && a.file_source->path == b.file_source->path &&
       a.file_source->labels == b.file_source->labels);
  return same_container && same_file_source && a.file_fingerprint == b.file_fingerprint &&
         a.event_time == b.event_time && a.time == b.time && a.index_at_time == b.index_at_time &&
         a.stream == b.stream && a.truncated == b.truncated && a.invalid == b.invalid &&
         a.message == b.message && a.file_position == b.file_position && a.fields == b.fields;
}

}  // namespace lc::testing
