#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/container_position.hpp"
#include "core/file_position.hpp"
#include "core/log_record.hpp"

namespace lc {

// The key a record's checkpoint is kept under: its container's id, or for a record of a
// tailed file the key of the file it was read from (file_checkpoint_key).
std::string checkpoint_key(const LogRecord& record);

// Where a reader of the record's file resumes once the record is delivered; `position`: the
// source's position just after it.
FileResumePoint file_resume_point(const LogRecord& record, const ContainerPosition& position);

// What the checkpoint tracker needs to know about a group of records once every sink has
// them, kept while the records themselves travel to the sinks: per source, how many records
// and where the last one ends.
struct DeliveryReceipt {
  struct Source {
    std::string key;
    ContainerPosition position;           // each stream just after its last record here
    std::optional<FileResumePoint> file;  // its last record's place, when read from a file
    std::uint64_t records = 0;
  };
  std::vector<Source> sources;

  // Records of one source arrive in order: its last record says where it stands.
  static DeliveryReceipt of(std::span<const LogRecord> records);
};

}  // namespace lc
