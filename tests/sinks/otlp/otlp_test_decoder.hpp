#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lc::testing {

// An attribute as "key" and its AnyValue in a canonical text: "text" quoted, 5, true, 1.5,
// [a,b], {k:v,...}, null for an empty AnyValue; the same whichever encoding carried it.
using DecodedAttribute = std::pair<std::string, std::string>;

struct DecodedLogRecord {
  std::uint64_t time_unix_nano = 0;
  std::uint64_t observed_time_unix_nano = 0;
  std::int32_t severity_number = 0;
  std::string severity_text;
  std::string body;  // the canonical text of the body AnyValue
  std::vector<DecodedAttribute> attributes;
  bool operator==(const DecodedLogRecord&) const = default;
};

struct DecodedResourceLogs {
  std::vector<DecodedAttribute> resource;
  std::string scope_name;
  std::string scope_version;
  std::vector<DecodedLogRecord> records;
  bool operator==(const DecodedResourceLogs&) const = default;
};

struct DecodedExport {
  std::vector<DecodedResourceLogs> resources;
  bool operator==(const DecodedExport&) const = default;
};

// Decodes an OTLP/HTTP logs export body as a collector would, without the sink's generated
// code: protobuf by the field numbers of the specification (opentelemetry-proto, restated in
// otlp_test_decoder.cpp) or OTLP/JSON by its field names, after gunzip when
// `content_encoding` is gzip. Returns an error text, empty on success. Unknown fields are an
// error too, so that nothing the sink sends goes unchecked.
std::string decode_otlp_export(std::string_view body, std::string_view content_type,
                               std::string_view content_encoding, DecodedExport& out);

// The attribute's value, or "" when absent.
std::string attribute(const std::vector<DecodedAttribute>& attributes, const std::string& key);

}  // namespace lc::testing
