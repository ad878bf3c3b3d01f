#include "sinks/syslog/syslog_message_encoder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "core/timestamp.hpp"
#include "sinks/common/utf8_repair.hpp"
#include "sinks/syslog/syslog_priority.hpp"

namespace lc {
namespace {

// RFC 5424 section 6: the header fields' longest.
constexpr std::size_t kMaxHostname = 255;
constexpr std::size_t kMaxAppName = 48;
constexpr std::size_t kMaxProcid = 128;
constexpr std::size_t kMaxMsgid = 32;

RecordTemplate syslog_template(const std::string& text) {
  RecordTemplate parsed;
  if (auto problem = RecordTemplate::parse(text, parsed)) throw std::invalid_argument(*problem);
  return parsed;
}

std::uint8_t checked(std::optional<std::uint8_t> value, const std::string& text) {
  if (!value) throw std::invalid_argument("not a syslog facility or severity: " + text);
  return *value;
}

// RFC 5424's TIMESTAMP: microseconds at most (TIME-SECFRAC is 1*6DIGIT), UTC.
void append_timestamp(TimestampNs time, std::string& out) {
  append_rfc3339_nano(out, time);
  out.erase(out.size() - 4, 3);  // "...ss.nnnnnnnnnZ" -> "...ss.nnnnnnZ"
}

// PARAM-VALUE escapes '"', '\' and ']' (RFC 5424 section 6.3.3).
void append_param(std::string_view name, std::string_view value, std::string& out) {
  if (value.empty()) return;
  out += ' ';
  out += name;
  out += "=\"";
  for (const char c : value) {
    if (c == '"' || c == '\\' || c == ']') out += '\\';
    out += c;
  }
  out += '"';
}

// Cuts `out` back to `size` bytes, not inside a UTF-8 sequence.
void cut_at(std::string& out, std::size_t size) {
  while (size > 0 && (static_cast<unsigned char>(out[size]) & 0xC0) == 0x80) --size;
  out.resize(size);
}

}  // namespace

SyslogMessageEncoder::SyslogMessageEncoder(const SyslogSinkOptions& options, std::string host)
    : host_(std::move(host)),
      facility_(checked(syslog_facility_of(options.facility), options.facility)),
      severity_(checked(syslog_severity_of(options.severity), options.severity)),
      stderr_severity_(
          checked(syslog_severity_of(options.stderr_severity), options.stderr_severity)),
      hostname_(syslog_template(options.hostname)),
      app_name_(syslog_template(options.app_name)),
      procid_(syslog_template(options.procid)),
      msgid_(syslog_template(options.msgid)),
      structured_data_id_(options.structured_data_id),
      json_(options.message_format == SyslogSinkOptions::MessageFormat::kJson),
      max_message_bytes_(options.max_message_bytes) {
  if (!options.severity_field.empty()) severity_field_ = checked_fields_key(options.severity_field);
  header_cacheable_ = true;
  for (const RecordTemplate* field : {&hostname_, &app_name_, &procid_, &msgid_}) {
    if (field->reads(FieldPath::Root::kMessage) || field->reads(FieldPath::Root::kFields)) {
      header_cacheable_ = false;
    }
  }
}

bool SyslogMessageEncoder::append(const LogRecord& record, std::string& out) {
  const std::size_t start = out.size();
  fmt::format_to(std::back_inserter(out), "<{}>1 ", facility_ * 8 + severity_of(record));
  append_timestamp(record.event_or_source_time(), out);
  out += ' ';
  out += header_fields(record);
  out += ' ';
  const std::size_t message_start = out.size();
  if (json_) {
    json_encoder_.append(out, record);
    if (!out.empty() && out.back() == '\n') out.pop_back();
  } else {
    out += record.valid_utf8 ? std::string_view(record.message)
                             : as_valid_utf8(record.message, scratch_);
  }
  if (out.size() - start <= max_message_bytes_) return false;
  // Only MSG is cut: a header cut short would not parse.
  cut_at(out, std::max(start + max_message_bytes_, message_start));
  return true;
}

const std::string& SyslogMessageEncoder::header_fields(const LogRecord& record) {
  const void* source = record.container ? static_cast<const void*>(record.container.get())
                                        : static_cast<const void*>(record.file_source.get());
  if (!header_cacheable_ || source == nullptr) {
    fields_.clear();
    append_header_fields(record, fields_);
    return fields_;
  }
  auto found = headers_.find(source);
  if (found == headers_.end()) {
    if (headers_.size() >= kMaxCachedSources) headers_.clear();
    std::shared_ptr<const void> owner = record.container
                                            ? std::shared_ptr<const void>(record.container)
                                            : std::shared_ptr<const void>(record.file_source);
    found = headers_.emplace(source, CachedHeader{std::move(owner), {}}).first;
  }
  std::optional<std::string>& cached =
      found->second.by_stream[record.stream == LogStream::kStderr ? 1 : 0];
  if (!cached) {
    cached.emplace();
    append_header_fields(record, *cached);
  }
  return *cached;
}

void SyslogMessageEncoder::append_header_fields(const LogRecord& record, std::string& out) {
  const RecordContext context{record, host_};
  append_header_field(hostname_, kMaxHostname, context, out);
  append_header_field(app_name_, kMaxAppName, context, out);
  append_header_field(procid_, kMaxProcid, context, out);
  append_header_field(msgid_, kMaxMsgid, context, out);
  append_structured_data(record, out);
}

std::uint8_t SyslogMessageEncoder::severity_of(const LogRecord& record) const {
  if (severity_field_) {
    if (const FieldValue* level = read_path_field(*severity_field_, record.fields.get())) {
      if (auto severity = syslog_severity_of_level(*level)) return *severity;
    }
  }
  return record.stream == LogStream::kStderr ? stderr_severity_ : severity_;
}

void SyslogMessageEncoder::append_header_field(const RecordTemplate& field, std::size_t max_length,
                                               const RecordContext& context, std::string& out) {
  scratch_.clear();
  field.render(context, scratch_);
  if (scratch_.empty()) {
    out += "- ";
    return;
  }
  if (scratch_.size() > max_length) scratch_.resize(max_length);
  for (char& c : scratch_) {
    if (c <= ' ' || c >= 127) c = '_';  // PRINTUSASCII only
  }
  out += scratch_;
  out += ' ';
}

void SyslogMessageEncoder::append_structured_data(const LogRecord& record, std::string& out) const {
  const ContainerMetadata* container = record.container.get();
  if (structured_data_id_.empty() || (container == nullptr && record.file_source == nullptr)) {
    out += '-';
    return;
  }
  out += '[';
  out += structured_data_id_;
  if (container != nullptr) {
    append_param("container_id", container->id, out);
    append_param("container_name", container->name, out);
    append_param("image", container->image, out);
    append_param("compose_project", container->compose_project, out);
    append_param("compose_service", container->compose_service, out);
    append_param("stream", to_string(record.stream), out);
  } else {
    append_param("file", record.file_source->path, out);  // a file has no stream
  }
  out += ']';
}

}  // namespace lc
