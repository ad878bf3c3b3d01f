#pragma once

#include <string>
#include <vector>

#include "core/field_value.hpp"
#include "core/log_record.hpp"
#include "sinks/otlp/otlp_sink_options.hpp"

namespace lc {

// The OTLP resource of a record's source, after the OpenTelemetry semantic conventions: one per
// container (container.id, container.name, container.image.name, container.image.tags,
// service.name, service.namespace from the compose project, host.name) or per tailed file
// (service.name, host.name; the path is the log.file.path record attribute), then the
// configured resource_attributes.
class OtlpResourceRenderer {
 public:
  // Throws std::invalid_argument on a malformed template (already refused by the config
  // reader).
  OtlpResourceRenderer(const OtlpSinkOptions& options, std::string host);

  // The attributes, in that order; an attribute that would be empty is left out.
  FieldValue::Map render(const LogRecord& record) const;

  // What the records that share one resource have in common: their container's or file's
  // metadata (null for a record with neither).
  static const void* source_of(const LogRecord& record) {
    if (record.container) return record.container.get();
    return record.file_source.get();
  }

 private:
  std::string service_name(const RecordContext& context) const;

  std::string host_;
  RecordTemplate service_name_;
  std::vector<OtlpAttributeSpec> extra_;
};

}  // namespace lc
