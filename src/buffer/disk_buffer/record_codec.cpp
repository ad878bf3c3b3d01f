#include "buffer/disk_buffer/record_codec.hpp"

#include <map>
#include <memory>

#include "buffer/disk_buffer/field_value_codec.hpp"
#include "buffer/disk_buffer/segment_format.hpp"

namespace lc {
namespace {

enum RecordFlags : std::uint8_t {
  kTruncated = 1,
  kInvalid = 2,
  kHasFilePosition = 4,
  kHasFingerprint = 8,
  kHasFields = 16,
  kHasEventTime = 32,
  kAllRecordFlags = 63,
};

enum ContainerFlags : std::uint8_t { kTty = 1, kRunning = 2, kAllContainerFlags = 3 };

// A definition may leave holes for definitions lost to corruption, but not absurd ones.
constexpr std::uint64_t kMaxIndexGap = 4096;

bool get_flags(ByteReader& in, std::uint8_t allowed, std::uint8_t& flags) {
  return in.get_u8(flags) && (flags & ~allowed) == 0;
}

void put_labels(std::string& out, const std::map<std::string, std::string>& labels) {
  put_varint(out, labels.size());
  for (const auto& [key, value] : labels) {
    put_bytes(out, key);
    put_bytes(out, value);
  }
}

bool get_labels(ByteReader& in, std::map<std::string, std::string>& labels) {
  std::uint64_t count = 0;
  if (!in.get_varint(count) || count > in.remaining() / 2) return false;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::string key;
    std::string value;
    if (!in.get_string(key) || !in.get_string(value)) return false;
    if (!labels.emplace(std::move(key), std::move(value)).second) return false;
  }
  return true;
}

void put_container(std::string& out, const ContainerMetadata& container) {
  for (const std::string* text :
       {&container.id, &container.name, &container.image, &container.compose_project,
        &container.compose_service, &container.log_driver, &container.log_path}) {
    put_bytes(out, *text);
  }
  put_u8(out, static_cast<std::uint8_t>((container.tty ? kTty : 0) |
                                        (container.running ? kRunning : 0)));
  put_labels(out, container.labels);
}

std::shared_ptr<const ContainerMetadata> get_container(ByteReader& in) {
  auto container = std::make_shared<ContainerMetadata>();
  std::uint8_t flags = 0;
  if (!in.get_string(container->id) || !in.get_string(container->name) ||
      !in.get_string(container->image) || !in.get_string(container->compose_project) ||
      !in.get_string(container->compose_service) || !in.get_string(container->log_driver) ||
      !in.get_string(container->log_path) || !get_flags(in, kAllContainerFlags, flags) ||
      !get_labels(in, container->labels)) {
    return nullptr;
  }
  container->tty = (flags & kTty) != 0;
  container->running = (flags & kRunning) != 0;
  return container;
}

void put_file_source(std::string& out, const FileSource& source) {
  put_bytes(out, source.path);
  put_labels(out, source.labels);
}

std::shared_ptr<const FileSource> get_file_source(ByteReader& in) {
  auto source = std::make_shared<FileSource>();
  if (!in.get_string(source->path) || !get_labels(in, source->labels)) return nullptr;
  return source;
}

// Puts a decoded definition at its index (1-based): the next one, or after a bounded gap.
template <typename T>
bool place(std::vector<std::shared_ptr<const T>>& table, std::uint64_t index,
           std::shared_ptr<const T> value) {
  if (!value || index <= table.size() || index > table.size() + kMaxIndexGap) return false;
  table.resize(static_cast<std::size_t>(index));
  table.back() = std::move(value);
  return true;
}

template <typename T>
bool resolve(const std::vector<std::shared_ptr<const T>>& table, std::uint32_t ref,
             std::shared_ptr<const T>& out) {
  if (ref == 0) {
    out = nullptr;
    return true;
  }
  if (ref > table.size() || !table[ref - 1]) return false;
  out = table[ref - 1];
  return true;
}

// Appends the definition frame of `value` unless the table has it; returns its reference.
template <typename T, typename PutBody>
std::uint32_t define(std::string& out, std::uint32_t checksum_seed, FrameType type,
                     const std::shared_ptr<const T>& value,
                     std::vector<std::shared_ptr<const T>>& table,
                     std::unordered_map<const T*, std::uint32_t>& refs, PutBody put_body) {
  if (!value) return 0;
  if (const auto it = refs.find(value.get()); it != refs.end()) return it->second;
  const auto ref = static_cast<std::uint32_t>(table.size() + 1);
  const std::size_t frame = begin_frame(out);
  put_u8(out, static_cast<std::uint8_t>(type));
  put_varint(out, ref);
  put_body(out, *value);
  if (!end_frame(out, frame, checksum_seed)) return 0;  // absurdly large: the record goes bare
  table.push_back(value);
  refs.emplace(value.get(), ref);
  return ref;
}

template <typename T>
void truncate_table(std::vector<std::shared_ptr<const T>>& table,
                    std::unordered_map<const T*, std::uint32_t>& refs, std::size_t size) {
  while (table.size() > size) {
    refs.erase(table.back().get());
    table.pop_back();
  }
}

template <typename T>
void index_table(const std::vector<std::shared_ptr<const T>>& table,
                 std::unordered_map<const T*, std::uint32_t>& refs) {
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (table[i]) refs.emplace(table[i].get(), static_cast<std::uint32_t>(i + 1));
  }
}

}  // namespace

void append_record_body(std::string& out, const LogRecord& record, SourceRefs refs) {
  put_varint(out, refs.container);
  put_varint(out, refs.file);
  put_u64_le(out, static_cast<std::uint64_t>(record.time));
  put_varint(out, record.index_at_time);
  put_u8(out, static_cast<std::uint8_t>(record.stream));
  const bool has_position = record.file_position != FilePosition{};
  const bool has_fingerprint = record.file_fingerprint != 0;
  const FieldValue* fields = record.fields.get();
  put_u8(out,
         static_cast<std::uint8_t>(
             (record.truncated ? kTruncated : 0) | (record.invalid ? kInvalid : 0) |
             (has_position ? kHasFilePosition : 0) | (has_fingerprint ? kHasFingerprint : 0) |
             (fields != nullptr ? kHasFields : 0) | (record.event_time != 0 ? kHasEventTime : 0)));
  if (has_position) {
    put_varint(out, record.file_position.file.device);
    put_varint(out, record.file_position.file.inode);
    put_varint(out, record.file_position.offset);
  }
  if (has_fingerprint) put_u64_le(out, record.file_fingerprint);
  if (record.event_time != 0) put_u64_le(out, static_cast<std::uint64_t>(record.event_time));
  if (fields != nullptr) append_field_value(out, *fields);
  put_bytes(out, record.message);
}

bool decode_record_body(ByteReader& in, const SegmentSources& sources, LogRecord& out) {
  SourceRefs refs;
  std::uint64_t time = 0;
  std::uint8_t stream = 0;
  std::uint8_t flags = 0;
  if (!in.get_varint32(refs.container) || !in.get_varint32(refs.file) || !in.get_u64_le(time) ||
      !in.get_varint32(out.index_at_time) || !in.get_u8(stream) ||
      !get_flags(in, kAllRecordFlags, flags)) {
    return false;
  }
  if (stream != static_cast<std::uint8_t>(LogStream::kStdout) &&
      stream != static_cast<std::uint8_t>(LogStream::kStderr)) {
    return false;
  }
  if (!resolve(sources.containers, refs.container, out.container) ||
      !resolve(sources.files, refs.file, out.file_source)) {
    return false;
  }
  out.time = static_cast<TimestampNs>(time);
  out.stream = static_cast<LogStream>(stream);
  out.truncated = (flags & kTruncated) != 0;
  out.invalid = (flags & kInvalid) != 0;
  out.file_position = {};
  out.file_fingerprint = 0;
  if ((flags & kHasFilePosition) != 0 &&
      (!in.get_varint(out.file_position.file.device) ||
       !in.get_varint(out.file_position.file.inode) || !in.get_varint(out.file_position.offset))) {
    return false;
  }
  if ((flags & kHasFingerprint) != 0 && !in.get_u64_le(out.file_fingerprint)) return false;
  std::uint64_t event_time = 0;
  if ((flags & kHasEventTime) != 0 && !in.get_u64_le(event_time)) return false;
  out.event_time = static_cast<TimestampNs>(event_time);
  out.fields.clear();
  if ((flags & kHasFields) != 0) {
    FieldValue fields;
    if (!decode_field_value(in, fields) || fields.type() != FieldValue::Type::kMap) return false;
    out.fields = RecordFields(std::move(fields.as_map()));
  }
  return in.get_string(out.message) && in.empty();
}

bool decode_source_definition(std::string_view payload, SegmentSources& sources) {
  ByteReader in(payload);
  std::uint8_t type = 0;
  std::uint64_t index = 0;
  if (!in.get_u8(type) || !in.get_varint(index)) return false;
  if (type == static_cast<std::uint8_t>(FrameType::kContainerMetadata)) {
    auto container = get_container(in);
    return in.empty() && place(sources.containers, index, std::move(container));
  }
  if (type == static_cast<std::uint8_t>(FrameType::kFileSource)) {
    auto source = get_file_source(in);
    return in.empty() && place(sources.files, index, std::move(source));
  }
  return false;
}

void RecordFrameEncoder::reset() {
  sources_ = {};
  container_refs_.clear();
  file_refs_.clear();
}

void RecordFrameEncoder::resume(const SegmentSources& sources) {
  reset();
  sources_ = sources;
  index_table(sources_.containers, container_refs_);
  index_table(sources_.files, file_refs_);
}

SourceRefs RecordFrameEncoder::define_sources(std::string& out, std::uint32_t checksum_seed,
                                              const LogRecord& record) {
  return {define(out, checksum_seed, FrameType::kContainerMetadata, record.container,
                 sources_.containers, container_refs_, put_container),
          define(out, checksum_seed, FrameType::kFileSource, record.file_source, sources_.files,
                 file_refs_, put_file_source)};
}

bool RecordFrameEncoder::append_record(std::string& out, std::uint32_t checksum_seed,
                                       const LogRecord& record) {
  const std::size_t before = out.size();
  const Mark defined_before = mark();
  const SourceRefs refs = define_sources(out, checksum_seed, record);
  const std::size_t frame = begin_frame(out);
  put_u8(out, static_cast<std::uint8_t>(FrameType::kRecord));
  append_record_body(out, record, refs);
  if (end_frame(out, frame, checksum_seed)) return true;
  out.resize(before);
  rollback(defined_before);
  return false;
}

void RecordFrameEncoder::rollback(const Mark& mark) {
  truncate_table(sources_.containers, container_refs_, mark.containers);
  truncate_table(sources_.files, file_refs_, mark.files);
}

RecordFrameDecoder::Result RecordFrameDecoder::decode(std::string_view payload, LogRecord& out) {
  if (payload.empty()) return Result::kMalformed;
  const auto type = static_cast<FrameType>(payload[0]);
  if (type == FrameType::kContainerMetadata || type == FrameType::kFileSource) {
    return decode_source_definition(payload, sources_) ? Result::kDefinition : Result::kMalformed;
  }
  if (type != FrameType::kRecord) return Result::kMalformed;
  ByteReader in(payload.substr(1));
  return decode_record_body(in, sources_, out) ? Result::kRecord : Result::kMalformed;
}

}  // namespace lc
