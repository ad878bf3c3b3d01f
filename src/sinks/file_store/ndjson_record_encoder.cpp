#include "sinks/file_store/ndjson_record_encoder.hpp"

#include "core/timestamp.hpp"
#include "sinks/file_store/json_string_writer.hpp"

namespace lc {

NdjsonRecordEncoder::ContainerFragment NdjsonRecordEncoder::encode_fragment(
    const ContainerMetadataPtr& container) {
  static const ContainerMetadata kUnknown;
  const ContainerMetadata& meta = container ? *container : kUnknown;
  ContainerFragment fragment;
  fragment.owner = container;
  std::string& out = fragment.json;
  bool valid = true;
  out += "\"container_id\":";
  valid &= append_json_string(out, meta.id);
  out += ",\"container_name\":";
  valid &= append_json_string(out, meta.name);
  out += ",\"image\":";
  valid &= append_json_string(out, meta.image);
  out += ",\"labels\":{";
  bool first = true;
  for (const auto& [key, value] : meta.labels) {
    if (!first) out += ',';
    first = false;
    valid &= append_json_string(out, key);
    out += ':';
    valid &= append_json_string(out, value);
  }
  out += '}';
  if (!meta.compose_project.empty()) {
    out += ",\"compose_project\":";
    valid &= append_json_string(out, meta.compose_project);
  }
  if (!meta.compose_service.empty()) {
    out += ",\"compose_service\":";
    valid &= append_json_string(out, meta.compose_service);
  }
  fragment.invalid_utf8 = !valid;
  return fragment;
}

const NdjsonRecordEncoder::ContainerFragment& NdjsonRecordEncoder::fragment_for(
    const ContainerMetadataPtr& container) {
  const ContainerMetadata* key = container.get();
  if (key == last_key_ && last_fragment_ != nullptr) return *last_fragment_;
  auto it = fragments_.find(key);
  if (it == fragments_.end()) {
    // Bounded memory: containers come and go for weeks; start over rather than grow forever.
    if (fragments_.size() >= kMaxCachedContainers) fragments_.clear();
    it = fragments_.emplace(key, encode_fragment(container)).first;
  }
  last_key_ = key;
  last_fragment_ = &it->second;
  return it->second;
}

void NdjsonRecordEncoder::append(std::string& out, const LogRecord& record) {
  const ContainerFragment& fragment = fragment_for(record.container);
  out += "{\"time\":\"";
  append_rfc3339_nano(out, record.time);
  out += record.stream == LogStream::kStderr ? "\",\"stream\":\"stderr\","
                                             : "\",\"stream\":\"stdout\",";
  out += fragment.json;
  out += ",\"message\":";
  const bool valid = append_json_string(out, record.message) && !fragment.invalid_utf8;
  if (record.truncated) out += ",\"truncated\":true";
  if (!valid) out += ",\"invalid_utf8\":true";
  out += "}\n";
}

}  // namespace lc
