#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/field_path.hpp"
#include "core/log_record.hpp"
#include "core/record_template.hpp"
#include "sinks/file_store/ndjson_record_encoder.hpp"
#include "sinks/syslog/syslog_sink_options.hpp"

namespace lc {

// Writes a record as one RFC 5424 message, without framing:
// <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID container_id="..." ...] MSG.
// TIMESTAMP is the record's event time when a processor set one, else its source time, in UTC
// with microseconds (RFC 5424's finest). Header fields are cut to RFC 5424's lengths, with
// anything but printable ASCII replaced by '_'; an empty one is "-".
class SyslogMessageEncoder {
 public:
  // `host`: what {{ .host }} renders. Options are checked by the loader (throws on bad ones).
  SyslogMessageEncoder(const SyslogSinkOptions& options, std::string host);

  // Appends the message to `out`, cut to `max_message_bytes` (at a UTF-8 boundary). Returns
  // whether it was cut.
  bool append(const LogRecord& record, std::string& out);

 private:
  std::uint8_t severity_of(const LogRecord& record) const;
  // HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA: made once per source and stream when the
  // templates read only the source (records come in runs per container).
  const std::string& header_fields(const LogRecord& record);
  void append_header_fields(const LogRecord& record, std::string& out);
  void append_header_field(const RecordTemplate& field, std::size_t max_length,
                           const RecordContext& context, std::string& out);
  void append_structured_data(const LogRecord& record, std::string& out) const;

  std::string host_;
  std::uint8_t facility_;
  std::uint8_t severity_;
  std::uint8_t stderr_severity_;
  std::optional<FieldPath> severity_field_;
  RecordTemplate hostname_;
  RecordTemplate app_name_;
  RecordTemplate procid_;
  RecordTemplate msgid_;
  std::string structured_data_id_;
  bool json_;
  std::size_t max_message_bytes_;
  NdjsonRecordEncoder json_encoder_;
  std::string scratch_;
  std::string fields_;  // header fields made for one record

  struct CachedHeader {
    std::shared_ptr<const void> owner;  // keeps the key's address from being reused while cached
    std::array<std::optional<std::string>, 2> by_stream;  // stdout (and files), stderr
  };
  static constexpr std::size_t kMaxCachedSources = 4096;
  bool header_cacheable_ = false;
  std::unordered_map<const void*, CachedHeader> headers_;
};

}  // namespace lc
