#include "sinks/otlp/otlp_test_decoder.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "support/test_gunzip.hpp"

namespace lc::testing {
namespace {

// --- protobuf, by the specification's field numbers -------------------------------------

enum WireType { kVarint = 0, kFixed64 = 1, kLength = 2, kFixed32 = 5 };

class WireReader {
 public:
  explicit WireReader(std::string_view data) : data_(data) {}
  bool done() const { return at_ == data_.size(); }

  // The next field's number and wire type.
  std::pair<std::uint32_t, int> tag() {
    const std::uint64_t key = varint();
    return {static_cast<std::uint32_t>(key >> 3), static_cast<int>(key & 7)};
  }
  std::uint64_t varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at_ >= data_.size()) throw std::runtime_error("truncated varint");
      const auto byte = static_cast<unsigned char>(data_[at_++]);
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    throw std::runtime_error("varint too long");
  }
  std::uint64_t fixed64() {
    if (data_.size() - at_ < 8) throw std::runtime_error("truncated fixed64");
    std::uint64_t value = 0;
    std::memcpy(&value, data_.data() + at_, 8);  // little-endian, as the machine
    at_ += 8;
    return value;
  }
  std::string_view bytes() {
    const std::uint64_t size = varint();
    if (data_.size() - at_ < size) throw std::runtime_error("truncated length-delimited field");
    const std::string_view value = data_.substr(at_, size);
    at_ += size;
    return value;
  }

 private:
  std::string_view data_;
  std::size_t at_ = 0;
};

[[noreturn]] void unexpected(const char* message, std::uint32_t field, int type) {
  throw std::runtime_error(
      fmt::format("{}: unexpected field {} (wire type {})", message, field, type));
}

std::string any_value_text(std::string_view data);

// KeyValue { string key = 1; AnyValue value = 2; }
DecodedAttribute key_value(std::string_view data) {
  DecodedAttribute pair{"", "null"};
  for (WireReader in(data); !in.done();) {
    const auto [field, type] = in.tag();
    if (field == 1 && type == kLength) {
      pair.first = std::string(in.bytes());
    } else if (field == 2 && type == kLength) {
      pair.second = any_value_text(in.bytes());
    } else {
      unexpected("KeyValue", field, type);
    }
  }
  return pair;
}

// AnyValue { oneof: string 1, bool 2, int64 3, double 4, ArrayValue 5, KeyValueList 6 }
std::string any_value_text(std::string_view data) {
  std::string text = "null";
  for (WireReader in(data); !in.done();) {
    const auto [field, type] = in.tag();
    if (field == 1 && type == kLength) {
      text = nlohmann::json(std::string(in.bytes())).dump();
    } else if (field == 2 && type == kVarint) {
      text = in.varint() != 0 ? "true" : "false";
    } else if (field == 3 && type == kVarint) {
      text = std::to_string(static_cast<std::int64_t>(in.varint()));
    } else if (field == 4 && type == kFixed64) {
      const std::uint64_t bits = in.fixed64();
      double value = 0;
      std::memcpy(&value, &bits, sizeof value);
      text = fmt::format("{}", value);
    } else if ((field == 5 || field == 6) && type == kLength) {
      // ArrayValue { repeated AnyValue values = 1; } KeyValueList { repeated KeyValue values = 1; }
      std::vector<std::string> items;
      for (WireReader list(in.bytes()); !list.done();) {
        const auto [item_field, item_type] = list.tag();
        if (item_field != 1 || item_type != kLength) unexpected("list", item_field, item_type);
        if (field == 5) {
          items.push_back(any_value_text(list.bytes()));
        } else {
          const DecodedAttribute pair = key_value(list.bytes());
          items.push_back(pair.first + ":" + pair.second);
        }
      }
      const std::string joined = fmt::format("{}", fmt::join(items, ","));
      text = field == 5 ? "[" + joined + "]" : "{" + joined + "}";
    } else {
      unexpected("AnyValue", field, type);
    }
  }
  return text;
}

// LogRecord { fixed64 time_unix_nano = 1; int32 severity_number = 2; string severity_text = 3;
// AnyValue body = 5; repeated KeyValue attributes = 6; fixed64 observed_time_unix_nano = 11; }
DecodedLogRecord log_record(std::string_view data) {
  DecodedLogRecord record;
  for (WireReader in(data); !in.done();) {
    const auto [field, type] = in.tag();
    if (field == 1 && type == kFixed64) {
      record.time_unix_nano = in.fixed64();
    } else if (field == 11 && type == kFixed64) {
      record.observed_time_unix_nano = in.fixed64();
    } else if (field == 2 && type == kVarint) {
      record.severity_number = static_cast<std::int32_t>(in.varint());
    } else if (field == 3 && type == kLength) {
      record.severity_text = std::string(in.bytes());
    } else if (field == 5 && type == kLength) {
      record.body = any_value_text(in.bytes());
    } else if (field == 6 && type == kLength) {
      record.attributes.push_back(key_value(in.bytes()));
    } else {
      unexpected("LogRecord", field, type);
    }
  }
  return record;
}

// ResourceLogs { Resource resource = 1; repeated ScopeLogs scope_logs = 2; }
// Resource { repeated KeyValue attributes = 1; }
// ScopeLogs { InstrumentationScope scope = 1; repeated LogRecord log_records = 2; }
// InstrumentationScope { string name = 1; string version = 2; }
DecodedResourceLogs resource_logs(std::string_view data) {
  DecodedResourceLogs out;
  for (WireReader in(data); !in.done();) {
    const auto [field, type] = in.tag();
    if (field == 1 && type == kLength) {
      for (WireReader resource(in.bytes()); !resource.done();) {
        const auto [f, t] = resource.tag();
        if (f != 1 || t != kLength) unexpected("Resource", f, t);
        out.resource.push_back(key_value(resource.bytes()));
      }
    } else if (field == 2 && type == kLength) {
      for (WireReader scope_logs(in.bytes()); !scope_logs.done();) {
        const auto [f, t] = scope_logs.tag();
        if (f == 1 && t == kLength) {
          for (WireReader scope(scope_logs.bytes()); !scope.done();) {
            const auto [sf, st] = scope.tag();
            if (sf == 1 && st == kLength) {
              out.scope_name = std::string(scope.bytes());
            } else if (sf == 2 && st == kLength) {
              out.scope_version = std::string(scope.bytes());
            } else {
              unexpected("InstrumentationScope", sf, st);
            }
          }
        } else if (f == 2 && t == kLength) {
          out.records.push_back(log_record(scope_logs.bytes()));
        } else {
          unexpected("ScopeLogs", f, t);
        }
      }
    } else {
      unexpected("ResourceLogs", field, type);
    }
  }
  return out;
}

// ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
void decode_protobuf(std::string_view body, DecodedExport& out) {
  for (WireReader in(body); !in.done();) {
    const auto [field, type] = in.tag();
    if (field != 1 || type != kLength) unexpected("ExportLogsServiceRequest", field, type);
    out.resources.push_back(resource_logs(in.bytes()));
  }
}

// --- OTLP/JSON ---------------------------------------------------------------------------

void only_keys(const nlohmann::json& object, std::initializer_list<const char*> keys,
               const char* what) {
  if (!object.is_object()) throw std::runtime_error(std::string(what) + " is not an object");
  for (const auto& [key, value] : object.items()) {
    bool known = false;
    for (const char* allowed : keys) known = known || key == allowed;
    if (!known) throw std::runtime_error(std::string(what) + ": unexpected member " + key);
  }
}

// OTLP/JSON carries 64-bit integers as decimal strings.
std::uint64_t json_uint64_string(const nlohmann::json& value, const char* what) {
  if (!value.is_string()) throw std::runtime_error(std::string(what) + " is not a string");
  return std::stoull(value.get<std::string>());
}

std::string json_any_value_text(const nlohmann::json& value);

DecodedAttribute json_key_value(const nlohmann::json& pair) {
  only_keys(pair, {"key", "value"}, "KeyValue");
  return {pair.at("key").get<std::string>(),
          pair.contains("value") ? json_any_value_text(pair.at("value")) : "null"};
}

std::string json_any_value_text(const nlohmann::json& value) {
  only_keys(value,
            {"stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue"},
            "AnyValue");
  if (value.empty()) return "null";
  if (value.size() != 1) throw std::runtime_error("AnyValue with more than one member");
  // Named, not bound from items(): its proxy would be gone before its key is read.
  const auto member = value.begin();
  const std::string kind = member.key();
  const nlohmann::json& inner = member.value();
  if (kind == "stringValue") return nlohmann::json(inner.get<std::string>()).dump();
  if (kind == "boolValue") return inner.get<bool>() ? "true" : "false";
  if (kind == "intValue") {
    if (!inner.is_string()) throw std::runtime_error("intValue is not a string");
    return std::to_string(std::stoll(inner.get<std::string>()));
  }
  if (kind == "doubleValue") return fmt::format("{}", inner.get<double>());
  std::vector<std::string> items;
  for (const nlohmann::json& item : inner.at("values")) {
    if (kind == "arrayValue") {
      items.push_back(json_any_value_text(item));
    } else {
      const DecodedAttribute pair = json_key_value(item);
      items.push_back(pair.first + ":" + pair.second);
    }
  }
  const std::string joined = fmt::format("{}", fmt::join(items, ","));
  return kind == "arrayValue" ? "[" + joined + "]" : "{" + joined + "}";
}

std::vector<DecodedAttribute> json_attributes(const nlohmann::json& object) {
  std::vector<DecodedAttribute> attributes;
  if (object.contains("attributes")) {
    for (const nlohmann::json& pair : object.at("attributes")) {
      attributes.push_back(json_key_value(pair));
    }
  }
  return attributes;
}

DecodedLogRecord json_log_record(const nlohmann::json& json) {
  only_keys(json,
            {"timeUnixNano", "observedTimeUnixNano", "severityNumber", "severityText", "body",
             "attributes"},
            "LogRecord");
  DecodedLogRecord record;
  if (json.contains("timeUnixNano")) {
    record.time_unix_nano = json_uint64_string(json.at("timeUnixNano"), "timeUnixNano");
  }
  if (json.contains("observedTimeUnixNano")) {
    record.observed_time_unix_nano =
        json_uint64_string(json.at("observedTimeUnixNano"), "observedTimeUnixNano");
  }
  if (json.contains("severityNumber")) {
    // OTLP/JSON: enums as integers, never names.
    if (!json.at("severityNumber").is_number_integer()) {
      throw std::runtime_error("severityNumber is not an integer");
    }
    record.severity_number = json.at("severityNumber").get<std::int32_t>();
  }
  if (json.contains("severityText")) record.severity_text = json.at("severityText");
  if (json.contains("body")) record.body = json_any_value_text(json.at("body"));
  record.attributes = json_attributes(json);
  return record;
}

void decode_json(std::string_view body, DecodedExport& out) {
  const nlohmann::json request = nlohmann::json::parse(body);
  only_keys(request, {"resourceLogs"}, "ExportLogsServiceRequest");
  for (const nlohmann::json& resource_logs : request.at("resourceLogs")) {
    only_keys(resource_logs, {"resource", "scopeLogs"}, "ResourceLogs");
    DecodedResourceLogs decoded;
    if (resource_logs.contains("resource")) {
      only_keys(resource_logs.at("resource"), {"attributes"}, "Resource");
      decoded.resource = json_attributes(resource_logs.at("resource"));
    }
    for (const nlohmann::json& scope_logs : resource_logs.at("scopeLogs")) {
      only_keys(scope_logs, {"scope", "logRecords"}, "ScopeLogs");
      if (scope_logs.contains("scope")) {
        only_keys(scope_logs.at("scope"), {"name", "version"}, "InstrumentationScope");
        decoded.scope_name = scope_logs.at("scope").value("name", "");
        decoded.scope_version = scope_logs.at("scope").value("version", "");
      }
      for (const nlohmann::json& record : scope_logs.at("logRecords")) {
        decoded.records.push_back(json_log_record(record));
      }
    }
    out.resources.push_back(std::move(decoded));
  }
}

}  // namespace

std::string decode_otlp_export(std::string_view body, std::string_view content_type,
                               std::string_view content_encoding, DecodedExport& out) {
  try {
    std::string inflated;
    if (content_encoding == "gzip") {
      inflated = test_gunzip(body);
      body = inflated;
    } else if (!content_encoding.empty()) {
      return "unknown content encoding " + std::string(content_encoding);
    }
    out = {};
    if (content_type == "application/x-protobuf") {
      decode_protobuf(body, out);
    } else if (content_type == "application/json") {
      decode_json(body, out);
    } else {
      return "unsupported content type " + std::string(content_type);
    }
  } catch (const std::exception& error) {
    return error.what();
  }
  return {};
}

std::string attribute(const std::vector<DecodedAttribute>& attributes, const std::string& key) {
  for (const auto& [name, value] : attributes) {
    if (name == key) return value;
  }
  return {};
}

}  // namespace lc::testing
