#include "sinks/otlp/otlp_json_writer.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/json_string_writer.hpp"

namespace lc {
namespace {

// Writes `"name":` preceded by a comma unless it is the object's first member.
class JsonObject {
 public:
  explicit JsonObject(std::string& out) : out_(out) { out_ += '{'; }
  ~JsonObject() { out_ += '}'; }
  JsonObject(const JsonObject&) = delete;
  JsonObject& operator=(const JsonObject&) = delete;

  std::string& member(std::string_view name) {
    if (!first_) out_ += ',';
    first_ = false;
    out_ += '"';
    out_ += name;
    out_ += "\":";
    return out_;
  }

 private:
  std::string& out_;
  bool first_ = true;
};

template <class Items, class WriteItem>
void write_array(std::string& out, const Items& items, WriteItem write_item) {
  out += '[';
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += ',';
    first = false;
    write_item(item);
  }
  out += ']';
}

void write_string(std::string& out, const std::string& text) {
  append_json_string(out, text, /*known_valid_utf8=*/true);
}

void write_any_value(std::string& out, const otlp::AnyValue& value);

void write_key_values(std::string& out,
                      const google::protobuf::RepeatedPtrField<otlp::KeyValue>& pairs) {
  write_array(out, pairs, [&](const otlp::KeyValue& pair) {
    JsonObject object(out);
    write_string(object.member("key"), pair.key());
    write_any_value(object.member("value"), pair.value());
  });
}

void write_double(std::string& out, double value) {
  // The protobuf JSON mapping's names for what JSON numbers cannot hold.
  if (std::isnan(value)) {
    out += "\"NaN\"";
  } else if (std::isinf(value)) {
    out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

void write_any_value(std::string& out, const otlp::AnyValue& value) {
  JsonObject object(out);
  switch (value.value_case()) {
    case otlp::AnyValue::kStringValue:
      write_string(object.member("stringValue"), value.string_value());
      break;
    case otlp::AnyValue::kBoolValue:
      object.member("boolValue") += value.bool_value() ? "true" : "false";
      break;
    case otlp::AnyValue::kIntValue:
      fmt::format_to(std::back_inserter(object.member("intValue")), "\"{}\"", value.int_value());
      break;
    case otlp::AnyValue::kDoubleValue:
      write_double(object.member("doubleValue"), value.double_value());
      break;
    case otlp::AnyValue::kArrayValue: {
      std::string& inner = object.member("arrayValue");
      JsonObject array(inner);
      write_array(array.member("values"), value.array_value().values(),
                  [&](const otlp::AnyValue& item) { write_any_value(inner, item); });
      break;
    }
    case otlp::AnyValue::kKvlistValue: {
      std::string& inner = object.member("kvlistValue");
      JsonObject list(inner);
      write_key_values(list.member("values"), value.kvlist_value().values());
      break;
    }
    case otlp::AnyValue::kBytesValue:  // never set by the encoder
    case otlp::AnyValue::VALUE_NOT_SET:
      break;
  }
}

void write_log_record(std::string& out, const otlp::LogRecord& record) {
  JsonObject object(out);
  if (record.time_unix_nano() != 0) {
    fmt::format_to(std::back_inserter(object.member("timeUnixNano")), "\"{}\"",
                   record.time_unix_nano());
  }
  if (record.observed_time_unix_nano() != 0) {
    fmt::format_to(std::back_inserter(object.member("observedTimeUnixNano")), "\"{}\"",
                   record.observed_time_unix_nano());
  }
  if (record.severity_number() != 0) {
    fmt::format_to(std::back_inserter(object.member("severityNumber")), "{}",
                   record.severity_number());
  }
  if (!record.severity_text().empty()) {
    write_string(object.member("severityText"), record.severity_text());
  }
  if (record.has_body()) write_any_value(object.member("body"), record.body());
  if (record.attributes_size() > 0)
    write_key_values(object.member("attributes"), record.attributes());
}

void write_scope_logs(std::string& out, const otlp::ScopeLogs& scope_logs) {
  JsonObject object(out);
  if (scope_logs.has_scope()) {
    std::string& inner = object.member("scope");
    JsonObject scope(inner);
    if (!scope_logs.scope().name().empty()) {
      write_string(scope.member("name"), scope_logs.scope().name());
    }
    if (!scope_logs.scope().version().empty()) {
      write_string(scope.member("version"), scope_logs.scope().version());
    }
  }
  write_array(object.member("logRecords"), scope_logs.log_records(),
              [&](const otlp::LogRecord& record) { write_log_record(out, record); });
}

void write_resource_logs(std::string& out, const otlp::ResourceLogs& resource_logs) {
  JsonObject object(out);
  if (resource_logs.has_resource()) {
    std::string& inner = object.member("resource");
    JsonObject resource(inner);
    write_key_values(resource.member("attributes"), resource_logs.resource().attributes());
  }
  write_array(object.member("scopeLogs"), resource_logs.scope_logs(),
              [&](const otlp::ScopeLogs& scope_logs) { write_scope_logs(out, scope_logs); });
}

}  // namespace

void write_otlp_json(const otlp::ExportLogsServiceRequest& request, std::string& out) {
  JsonObject object(out);
  write_array(
      object.member("resourceLogs"), request.resource_logs(),
      [&](const otlp::ResourceLogs& resource_logs) { write_resource_logs(out, resource_logs); });
}

}  // namespace lc
