#include "sinks/otlp/otlp_export_response.hpp"

#include <strings.h>

#include <nlohmann/json.hpp>

#include "sinks/common/http_response_text.hpp"
#include "sinks/otlp/logs_service.pb.h"

namespace lc {
namespace {

// Media types are case-insensitive (RFC 9110 8.3.1).
bool media_type_is(std::string_view content_type, std::string_view type) {
  return content_type.size() >= type.size() &&
         strncasecmp(content_type.data(), type.data(), type.size()) == 0;
}

bool is_json(std::string_view content_type) {
  return media_type_is(content_type, "application/json");
}

bool is_protobuf(std::string_view content_type) {
  return media_type_is(content_type, "application/x-protobuf") ||
         media_type_is(content_type, "application/protobuf");
}

// A proto3 JSON int64: a number or a decimal string.
std::int64_t json_int64(const nlohmann::json& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_string()) {
    try {
      return std::stoll(value.get<std::string>());
    } catch (const std::exception&) {
    }
  }
  return 0;
}

std::string json_string(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

OtlpPartialSuccess parse_otlp_export_response(std::string_view content_type,
                                              std::string_view body) {
  OtlpPartialSuccess partial;
  if (body.empty()) return partial;
  if (is_json(content_type)) {
    const nlohmann::json answer = nlohmann::json::parse(body, nullptr, false);
    if (!answer.is_object()) return partial;
    const auto found = answer.find("partialSuccess");
    if (found == answer.end() || !found->is_object()) return partial;
    if (const auto rejected = found->find("rejectedLogRecords"); rejected != found->end()) {
      partial.rejected_log_records = json_int64(*rejected);
    }
    partial.error_message = http_response_excerpt(json_string(*found, "errorMessage"));
    return partial;
  }
  // Protobuf is what a collector answers a protobuf request with, whatever the header says.
  otlp::ExportLogsServiceResponse answer;
  if (!answer.ParseFromArray(body.data(), static_cast<int>(body.size()))) return partial;
  partial.rejected_log_records = answer.partial_success().rejected_log_records();
  partial.error_message = http_response_excerpt(answer.partial_success().error_message());
  return partial;
}

bool is_otlp_status(std::string_view content_type, std::string_view body) {
  if (is_json(content_type)) {
    const nlohmann::json status = nlohmann::json::parse(body, nullptr, false);
    if (!status.is_object()) return false;
    const auto code = status.find("code");
    const auto message = status.find("message");
    return (code != status.end() && code->is_number_integer()) ||
           (message != status.end() && message->is_string());
  }
  if (!is_protobuf(content_type) || body.empty()) return false;
  otlp::Status status;
  return status.ParseFromArray(body.data(), static_cast<int>(body.size())) &&
         (status.code() != 0 || !status.message().empty());
}

std::string otlp_error_message(std::string_view content_type, std::string_view body) {
  if (is_json(content_type)) {
    const nlohmann::json status = nlohmann::json::parse(body, nullptr, false);
    if (status.is_object()) {
      std::string message = json_string(status, "message");
      if (!message.empty()) return http_response_excerpt(message);
    }
  } else if (is_protobuf(content_type)) {
    otlp::Status status;
    if (status.ParseFromArray(body.data(), static_cast<int>(body.size())) &&
        !status.message().empty()) {
      return http_response_excerpt(status.message());
    }
  }
  return http_response_excerpt(body);
}

}  // namespace lc
