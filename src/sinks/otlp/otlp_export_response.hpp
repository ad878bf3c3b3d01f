#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lc {

// What a collector's 200 says it did not keep (ExportLogsServiceResponse.partial_success):
// how many records it rejected and why. The protocol does not say which records.
struct OtlpPartialSuccess {
  std::int64_t rejected_log_records = 0;
  std::string error_message;
};

// Reads the answer to an export, protobuf or JSON after its Content-Type. An empty, absent or
// unreadable partial_success is a full success (OTLP: "the server MAY omit it").
OtlpPartialSuccess parse_otlp_export_response(std::string_view content_type, std::string_view body);

// Whether an error answer's body is a google.rpc.Status, as the OTLP/HTTP specification
// requires of a collector's 4xx and 5xx (protobuf or JSON after its Content-Type, with a code or
// a message): what tells the collector's own refusal from a proxy's or a server's page.
bool is_otlp_status(std::string_view content_type, std::string_view body);

// The message of an error answer: its google.rpc.Status (protobuf or JSON) `message`, else the
// body as text; one line, cut, repaired for logs and reasons.
std::string otlp_error_message(std::string_view content_type, std::string_view body);

}  // namespace lc
