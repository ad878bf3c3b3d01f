#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "buffer/disk_buffer/binary_encoding.hpp"
#include "core/log_record.hpp"

namespace lc {

// The binary form of LogRecords on disk (docs/disk-buffer.md). A container's metadata (or a
// tailed file's source) is the same for thousands of records, so it is written once per
// segment, in a kContainerMetadata (kFileSource) frame, and each record refers to it by its
// index in the segment's table (1-based; 0 = none). On decode, the records of one container
// share one ContainerMetadataPtr (one FileSourcePtr per file source).

// What one segment has defined so far, by index - 1. A definition lost to corruption leaves a
// null entry: records referring to it cannot be decoded.
struct SegmentSources {
  std::vector<ContainerMetadataPtr> containers;
  std::vector<FileSourcePtr> files;
};

// A record's references into its segment's tables.
struct SourceRefs {
  std::uint32_t container = 0;
  std::uint32_t file = 0;
};

// Appends the body of a record (everything after the frame type byte).
void append_record_body(std::string& out, const LogRecord& record, SourceRefs refs);
// Decodes what append_record_body wrote, to the end of `in`. False on anything malformed,
// including a reference the tables do not define.
bool decode_record_body(ByteReader& in, const SegmentSources& sources, LogRecord& out);

// Decodes a kContainerMetadata or kFileSource payload (type byte included) into its slot of
// `sources`. False when malformed, of another type, or redefining an index already defined.
bool decode_source_definition(std::string_view payload, SegmentSources& sources);

// Writes records as frames into a segment, defining each container and file source the first
// time the segment meets it. The definitions of an append that failed are withdrawn with
// rollback(), so that the tables always match what is on disk. Holds a reference to each
// defined source (a key that cannot be reused while the segment is written); reset() at every
// new segment.
class RecordFrameEncoder {
 public:
  struct Mark {
    std::size_t containers = 0;
    std::size_t files = 0;
  };

  void reset();
  // Continues a segment written before (after a restart), whose tables a decoder rebuilt.
  void resume(const SegmentSources& sources);

  // The frame(s) for one record: definitions of its sources first if the segment lacks them.
  // False (nothing appended) when the record alone exceeds kMaxFramePayloadBytes.
  bool append_record(std::string& out, std::uint32_t checksum_seed, const LogRecord& record);
  // Defines the record's sources if needed (appending their frames); returns the references.
  SourceRefs define_sources(std::string& out, std::uint32_t checksum_seed, const LogRecord& record);

  // A point to come back to when the frames appended since are not written after all.
  Mark mark() const { return {sources_.containers.size(), sources_.files.size()}; }
  void rollback(const Mark& mark);

  // This segment's tables, as a decoder reading it would build them.
  const SegmentSources& sources() const { return sources_; }

 private:
  SegmentSources sources_;
  std::unordered_map<const ContainerMetadata*, std::uint32_t> container_refs_;
  std::unordered_map<const FileSource*, std::uint32_t> file_refs_;
};

// Reads the disk buffer's payloads of one segment in order, keeping its tables.
class RecordFrameDecoder {
 public:
  enum class Result { kRecord, kDefinition, kMalformed };

  void reset() { sources_ = {}; }
  Result decode(std::string_view payload, LogRecord& out);

 private:
  SegmentSources sources_;
};

}  // namespace lc
