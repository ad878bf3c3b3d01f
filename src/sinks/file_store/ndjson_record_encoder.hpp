#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>

#include "core/log_record.hpp"

namespace lc {

// Encodes records as the file store's lines: one JSON object per line, fields in a fixed order
// (docs/file-store.md). Hot path: appends into the caller's reused buffer, and caches each
// container's metadata fragment (id, name, image, labels, compose), which is the same for all of
// its records, so labels are not re-escaped for every line.
class NdjsonRecordEncoder {
 public:
  // Appends one line, '\n' included.
  void append(std::string& out, const LogRecord& record);

  // How many container fragments are cached (bounded by kMaxCachedContainers).
  std::size_t cached_containers() const { return fragments_.size(); }
  static constexpr std::size_t kMaxCachedContainers = 1024;

 private:
  struct ContainerFragment {
    ContainerMetadataPtr owner;  // keeps the key's address from being reused while cached
    std::string json;            // "container_id":...,"labels":{...}[,"compose_...":...]
    bool invalid_utf8 = false;
  };

  const ContainerFragment& fragment_for(const ContainerMetadataPtr& container);
  static ContainerFragment encode_fragment(const ContainerMetadataPtr& container);

  std::unordered_map<const ContainerMetadata*, ContainerFragment> fragments_;
  const ContainerMetadata* last_key_ = nullptr;
  const ContainerFragment* last_fragment_ = nullptr;
};

}  // namespace lc
