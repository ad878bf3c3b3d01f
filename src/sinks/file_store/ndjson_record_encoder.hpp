#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

#include "core/log_record.hpp"

namespace lc {

// Encodes records as the file store's lines: one JSON object per line, fields in a fixed order
// (docs/file-store.md). Hot path: appends into the caller's reused buffer, and caches each
// source's metadata fragment (a container's id, name, image, labels, compose; a tailed file's
// path and labels), which is the same for all of its records, so labels are not re-escaped for
// every line.
class NdjsonRecordEncoder {
 public:
  // `with_positions`: the file position and rank the store resumes by; a backend that only
  // searches records (Elasticsearch) is sent lines without them.
  explicit NdjsonRecordEncoder(bool with_positions = true) : with_positions_(with_positions) {}

  // Appends one line, '\n' included.
  void append(std::string& out, const LogRecord& record);

  // How many source fragments (containers and files) are cached (bounded by
  // kMaxCachedContainers).
  std::size_t cached_containers() const { return fragments_.size(); }
  static constexpr std::size_t kMaxCachedContainers = 1024;

 private:
  struct SourceFragment {
    std::shared_ptr<const void> owner;  // keeps the key's address from being reused while cached
    // "container_id":...,"labels":{...}[,"compose_...":...], or "file":...,"labels":{...}
    std::string json;
    bool invalid_utf8 = false;
    bool has_stream = true;  // container records carry stdout/stderr; a file has no stream
  };

  // A record with a container is a container record; one with only a file_source a file
  // record; one with neither gets empty container fields.
  const SourceFragment& fragment_for(const LogRecord& record);
  void append_file_position(std::string& out, const LogRecord& record);
  static SourceFragment encode_fragment(const ContainerMetadataPtr& container);
  static SourceFragment encode_fragment(const FileSourcePtr& file);

  // The parts of a file position that stay the same along one file, formatted once: records
  // come in runs per file, and formatting them for every record cost 5 % of the json-file
  // mode's CPU.
  struct FilePositionParts {
    FileIdentity file;
    std::uint64_t fingerprint = 0;
    std::string head;              // ,"position":"device:inode:
    std::string fingerprint_text;  // :fingerprint
  };
  const FilePositionParts& position_parts(const LogRecord& record);

  const bool with_positions_;
  std::unordered_map<const void*, SourceFragment> fragments_;
  FilePositionParts position_parts_;
  const void* last_key_ = nullptr;
  const SourceFragment* last_fragment_ = nullptr;
};

}  // namespace lc
