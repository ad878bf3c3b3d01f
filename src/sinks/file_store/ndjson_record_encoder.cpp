#include "sinks/file_store/ndjson_record_encoder.hpp"

#include <fmt/format.h>

#include <charconv>
#include <iterator>
#include <string_view>

#include "core/json_string_writer.hpp"
#include "core/timestamp.hpp"

namespace lc {

using namespace std::string_view_literals;

namespace {

// Appends "labels":{...}; false when some string was not valid UTF-8.
bool append_labels(std::string& out, const std::map<std::string, std::string>& labels) {
  bool valid = true;
  out += "\"labels\":{"sv;
  bool first = true;
  for (const auto& [key, value] : labels) {
    if (!first) out += ',';
    first = false;
    valid &= append_json_string(out, key);
    out += ':';
    valid &= append_json_string(out, value);
  }
  out += '}';
  return valid;
}

}  // namespace

NdjsonRecordEncoder::SourceFragment NdjsonRecordEncoder::encode_fragment(
    const ContainerMetadataPtr& container) {
  static const ContainerMetadata kUnknown;
  const ContainerMetadata& meta = container ? *container : kUnknown;
  SourceFragment fragment;
  fragment.owner = container;
  std::string& out = fragment.json;
  bool valid = true;
  out += "\"container_id\":"sv;
  valid &= append_json_string(out, meta.id);
  out += ",\"container_name\":"sv;
  valid &= append_json_string(out, meta.name);
  out += ",\"image\":"sv;
  valid &= append_json_string(out, meta.image);
  out += ',';
  valid &= append_labels(out, meta.labels);
  if (!meta.compose_project.empty()) {
    out += ",\"compose_project\":"sv;
    valid &= append_json_string(out, meta.compose_project);
  }
  if (!meta.compose_service.empty()) {
    out += ",\"compose_service\":"sv;
    valid &= append_json_string(out, meta.compose_service);
  }
  fragment.invalid_utf8 = !valid;
  return fragment;
}

NdjsonRecordEncoder::SourceFragment NdjsonRecordEncoder::encode_fragment(
    const FileSourcePtr& file) {
  SourceFragment fragment;
  fragment.owner = file;
  fragment.has_stream = false;
  std::string& out = fragment.json;
  out += "\"file\":"sv;
  bool valid = append_json_string(out, file->path);
  out += ',';
  valid &= append_labels(out, file->labels);
  fragment.invalid_utf8 = !valid;
  return fragment;
}

const NdjsonRecordEncoder::SourceFragment& NdjsonRecordEncoder::fragment_for(
    const LogRecord& record) {
  const bool file_record = !record.container && record.file_source;
  const void* key = file_record ? static_cast<const void*>(record.file_source.get())
                                : static_cast<const void*>(record.container.get());
  if (key == last_key_ && last_fragment_ != nullptr) return *last_fragment_;
  auto it = fragments_.find(key);
  if (it == fragments_.end()) {
    // Bounded memory: containers come and go for weeks; start over rather than grow forever.
    if (fragments_.size() >= kMaxCachedContainers) fragments_.clear();
    it = fragments_
             .emplace(key, file_record ? encode_fragment(record.file_source)
                                       : encode_fragment(record.container))
             .first;
  }
  last_key_ = key;
  last_fragment_ = &it->second;
  return it->second;
}

const NdjsonRecordEncoder::FilePositionParts& NdjsonRecordEncoder::position_parts(
    const LogRecord& record) {
  FilePositionParts& parts = position_parts_;
  if (parts.file == record.file_position.file && parts.fingerprint == record.file_fingerprint &&
      !parts.head.empty()) {
    return parts;
  }
  parts.file = record.file_position.file;
  parts.fingerprint = record.file_fingerprint;
  parts.head = fmt::format(",\"position\":\"{}:{}:", parts.file.device, parts.file.inode);
  parts.fingerprint_text = fmt::format(":{:x}", parts.fingerprint);
  return parts;
}

// ,"position":"device:inode:offset:fingerprint[:device:inode:offset[:device:inode:offset]]":
// where the file input resumes after this record (and, while a line was open, where the record
// itself ends; for container logs, where the other stream's last record ends); start-up
// recovery reads it back, so the store proves file records delivered by their bytes. Written by
// hand: it is on every record of the json-file fast path.
void NdjsonRecordEncoder::append_file_position(std::string& out, const LogRecord& record) {
  const FilePositionParts& parts = position_parts(record);
  char buffer[24];
  out += parts.head;
  out.append(buffer,
             static_cast<std::size_t>(
                 std::to_chars(buffer, buffer + sizeof(buffer), record.file_position.offset).ptr -
                 buffer));
  out += parts.fingerprint_text;
  // The places after it are rare (a line open, multi-line joining): formatted plainly.
  const auto place = [&](const FilePosition& at) {
    fmt::format_to(std::back_inserter(out), ":{}:{}:{}", at.file.device, at.file.inode, at.offset);
  };
  const bool other_end = record.file_other_stream_end.file.valid();
  if (other_end ||
      (record.file_line_end.file.valid() && !(record.file_line_end == record.file_position))) {
    place(record.file_line_end);
  }
  if (other_end) place(record.file_other_stream_end);
  out += '"';
}

void NdjsonRecordEncoder::append(std::string& out, const LogRecord& record) {
  const SourceFragment& fragment = fragment_for(record);
  out += "{\"time\":\""sv;
  append_rfc3339_nano(out, record.time);
  if (record.event_time != 0) {
    out += "\",\"event_time\":\""sv;
    append_rfc3339_nano(out, record.event_time);
  }
  if (!fragment.has_stream) {
    out += "\","sv;
  } else {
    out += record.stream == LogStream::kStderr ? "\",\"stream\":\"stderr\","sv
                                               : "\",\"stream\":\"stdout\","sv;
  }
  out += fragment.json;
  if (with_positions_ && record.file_position.file.valid()) append_file_position(out, record);
  // The rank among the stream's records of the same time, when not the first: recovery then
  // knows exactly which records of that time the store holds (rare: stamps are nanoseconds).
  if (with_positions_ && fragment.has_stream && record.index_at_time > 0 &&
      !record.time_estimated) {
    out += ",\"rank\":"sv;
    char digits[16];
    out.append(digits, std::to_chars(digits, digits + sizeof(digits), record.index_at_time).ptr);
  }
  out += ",\"message\":"sv;
  bool valid = append_json_string(out, record.message, record.valid_utf8) && !fragment.invalid_utf8;
  if (const FieldValue* fields = record.fields.get()) {
    out += ",\"fields\":"sv;
    valid &= fields->append_json(out);
  }
  if (record.truncated) out += ",\"truncated\":true"sv;
  if (record.invalid) out += ",\"unparsed\":true"sv;
  if (!valid) out += ",\"invalid_utf8\":true"sv;
  out += "}\n"sv;
}

}  // namespace lc
