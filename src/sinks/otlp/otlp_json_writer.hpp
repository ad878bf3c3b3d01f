#pragma once

#include <string>

#include "sinks/otlp/logs_service.pb.h"

namespace lc {

// Appends `request` in the OTLP/JSON encoding (the protobuf JSON mapping with OTLP's rules):
// lowerCamelCase field names, 64-bit integers and timestamps as decimal strings, enums
// (severityNumber) as integers, fields at their default value left out. The lite runtime has
// no JSON printer, hence this one; its strings are already valid UTF-8 (the encoder repairs).
void write_otlp_json(const otlp::ExportLogsServiceRequest& request, std::string& out);

}  // namespace lc
