#pragma once

#include <cstdint>
#include <string>

#include "core/container_metadata.hpp"
#include "core/container_position.hpp"
#include "core/file_position.hpp"
#include "core/file_source.hpp"
#include "core/record_fields.hpp"
#include "core/timestamp.hpp"

namespace lc {

// One log line, after partial pieces are joined, with where it came from.
struct LogRecord {
  // The source time: Docker's stamp, or when a tailed line was read. With index_at_time, the
  // record's position; never changed by processors.
  TimestampNs time = 0;
  // When the event happened, as the line itself says (parse_timestamp); 0: not known. Sinks
  // that date records by the event (Loki) use event_or_source_time().
  TimestampNs event_time = 0;
  LogStream stream = LogStream::kStdout;
  // 0-based rank among this container's records of the same stream carrying exactly `time`
  // (see StreamPosition): together with `time` it is the record's source position.
  std::uint32_t index_at_time = 0;
  bool truncated = false;  // cut at the configured maximum line size
  bool invalid = false;    // a json-file line that was not valid JSON: passed on raw
  // Docker gave no time (an invalid line): `time` is a neighbouring record's, for display
  // only; it takes no rank and never moves a position.
  bool time_estimated = false;
  // The message is known to be valid UTF-8 (checked on its way in): sinks need not check it.
  bool valid_utf8 = false;
  ContainerMetadataPtr container;
  // Set for the records of a tailed file (inputs/file); nullptr for container records.
  FileSourcePtr file_source;
  std::string message;  // without the trailing newline
  // Typed fields set by parsers and processors (docs/fields.md); none from the inputs.
  RecordFields fields;
  // Set when the record was read from a file: where to resume so that no later record is lost
  // (just after it, or the start of a line of the other stream still being joined).
  FilePosition file_position;
  // Set when the record was read from a file: just after its own last line. Differs from
  // file_position only while another line is open; a resume at file_position drops the records
  // ending at or before this place (delivered), by bytes, never by time.
  FilePosition file_line_end;
  // Container json-file records: just after the last record of the other stream read before
  // this one (with file_line_end, what both streams delivered once this record is).
  FilePosition file_other_stream_end;
  // Fingerprint of that file (see FileResumePoint); 0 when unknown or not read from a file.
  std::uint64_t file_fingerprint = 0;

  TimestampNs event_or_source_time() const { return event_time != 0 ? event_time : time; }

  // The position of a source of which this record alone was delivered.
  ContainerPosition position_after() const {
    ContainerPosition position;
    advance(position);
    return position;
  }

  // Moves `position` past this record (a record with an estimated time moves nothing).
  void advance(ContainerPosition& position) const {
    if (!time_estimated) position.advance(stream, time, index_at_time);
  }

  // Memory this record holds, for the pipeline's byte bound. The message's size, not its
  // capacity: a copy (one per sink) must count the same as the original.
  std::size_t memory_bytes() const {
    return sizeof(LogRecord) + message.size() + fields.memory_bytes();
  }
};

}  // namespace lc
