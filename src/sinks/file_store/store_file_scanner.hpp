#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include "core/file_position.hpp"
#include "core/timestamp.hpp"

namespace lc {

// What recovery needs of a stored record: a container's record has its id, stream and time; a
// tailed file's record has its path; both have the place in their file after them ("position")
// when read from a file.
struct StoredRecord {
  TimestampNs time = 0;
  LogStream stream = LogStream::kStdout;
  bool time_estimated = false;    // an unparsed json-file line: its time is a neighbour's
  std::uint32_t rank = 0;         // index_at_time (written only when not 0)
  std::string_view container_id;  // empty for a file record
  std::string_view file;          // empty for a container record
  // Where the reader of its file resumes after it: every file record, and container records
  // read from their json-file log.
  std::optional<FileResumePoint> file_position;
};
using StoreRecordVisitor = std::function<void(const StoredRecord& record)>;

struct StoreScanResult {
  std::uint64_t records = 0;    // lines visited
  std::uint64_t bad_lines = 0;  // lines that are not store records (skipped)
  std::error_code error;        // open/read failure (missing file is not one)
};

// Reads one store file from `offset` to its end and visits each complete record line in order
// (see StoredRecord). Memory: one read buffer, grown only to the longest line.
StoreScanResult scan_store_file(const std::string& path, std::uint64_t offset,
                                const StoreRecordVisitor& visit);

}  // namespace lc
