#include "sinks/otlp/otlp_logs_encoder.hpp"

#include "config/version.hpp"
#include "sinks/otlp/otlp_any_value.hpp"
#include "sinks/otlp/otlp_json_writer.hpp"
#include "sinks/otlp/otlp_severity.hpp"

namespace lc {
namespace {

constexpr std::string_view kScopeName = "log-capturer";

void add_attribute(otlp::LogRecord& out, std::string_view key, const FieldValue& value,
                   std::string& scratch) {
  otlp::KeyValue& pair = *out.add_attributes();
  set_otlp_string(key, false, pair.mutable_key(), scratch);
  set_otlp_any_value(value, *pair.mutable_value(), scratch);
}

void add_flag(otlp::LogRecord& out, const char* key) {
  otlp::KeyValue& pair = *out.add_attributes();
  pair.set_key(key);
  pair.mutable_value()->set_bool_value(true);
}

}  // namespace

OtlpLogsEncoder::OtlpLogsEncoder(const OtlpSinkOptions& options, std::string host)
    : encoding_(options.encoding),
      gzip_(options.compression == OtlpSinkOptions::Compression::kGzip),
      severity_field_(options.severity_field),
      version_(agent_version()),
      resources_(options, std::move(host)),
      // The fastest level: deflate's default (6) took most of the sink's CPU for a few percent
      // smaller bodies (bench/run, scenario sinks).
      compressor_(GzipCompressor::kFastest) {}

OtlpExportBody OtlpLogsEncoder::encode(std::span<const LogRecord> records) {
  build(records);
  OtlpExportBody body;
  body.resources = static_cast<std::size_t>(request_.resource_logs_size());
  if (encoding_ == OtlpSinkOptions::Encoding::kJson) {
    serialized_.clear();
    write_otlp_json(request_, serialized_);
    body.content_type = "application/json";
  } else {
    request_.SerializeToString(&serialized_);
    body.content_type = "application/x-protobuf";
  }
  body.data = serialized_;
  if (gzip_) {
    compressor_.compress(serialized_, compressed_);
    body.data = compressed_;
    body.content_encoding = "gzip";
  }
  return body;
}

void OtlpLogsEncoder::build(std::span<const LogRecord> records) {
  request_.Clear();
  scopes_.clear();
  for (const LogRecord& record : records) add_record(record, *scope_of(record).add_log_records());
}

otlp::ScopeLogs& OtlpLogsEncoder::scope_of(const LogRecord& record) {
  auto [place, added] = scopes_.try_emplace(OtlpResourceRenderer::source_of(record), nullptr);
  if (!added) return *place->second;
  otlp::ResourceLogs& resource_logs = *request_.add_resource_logs();
  otlp::Resource& resource = *resource_logs.mutable_resource();
  for (const FieldEntry& entry : resources_.render(record)) {
    otlp::KeyValue& pair = *resource.add_attributes();
    set_otlp_string(entry.key, false, pair.mutable_key(), utf8_scratch_);
    set_otlp_any_value(entry.value, *pair.mutable_value(), utf8_scratch_);
  }
  otlp::ScopeLogs& scope = *resource_logs.add_scope_logs();
  scope.mutable_scope()->set_name(std::string(kScopeName));
  scope.mutable_scope()->set_version(version_);
  place->second = &scope;
  return scope;
}

void OtlpLogsEncoder::add_record(const LogRecord& record, otlp::LogRecord& out) {
  out.set_time_unix_nano(static_cast<std::uint64_t>(record.event_or_source_time()));
  out.set_observed_time_unix_nano(static_cast<std::uint64_t>(record.time));
  set_otlp_string(record.message, record.valid_utf8, out.mutable_body()->mutable_string_value(),
                  utf8_scratch_);
  if (record.file_source) {
    add_attribute(out, "log.file.path", FieldValue(record.file_source->path), utf8_scratch_);
  } else {
    add_attribute(out, "log.iostream", FieldValue(to_string(record.stream)), utf8_scratch_);
  }
  if (const FieldValue* fields = record.fields.get()) {
    for (const FieldEntry& entry : fields->as_map()) {
      add_attribute(out, entry.key, entry.value, utf8_scratch_);
      if (entry.key == severity_field_ && !entry.value.is_null()) {
        set_otlp_string(entry.value.text(), false, out.mutable_severity_text(), utf8_scratch_);
        out.set_severity_number(otlp_severity_number(entry.value));
      }
    }
  }
  if (record.truncated) add_flag(out, "log_capturer.truncated");
  if (record.invalid) add_flag(out, "log_capturer.unparsed");
}

}  // namespace lc
