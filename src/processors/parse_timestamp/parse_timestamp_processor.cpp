#include "processors/parse_timestamp/parse_timestamp_processor.hpp"

#include <stdexcept>

#include "core/field_write.hpp"
#include "core/record_template.hpp"
#include "processors/common/parse_each.hpp"

namespace lc {

ParseTimestampProcessor::ParseTimestampProcessor(std::string name,
                                                 const ParseTimestampOptions& options,
                                                 ProcessorMetrics& metrics)
    : name_(std::move(name)), options_(options), metrics_(metrics) {
  for (const std::string& text : options.formats) {
    TimestampFormat& format = formats_.emplace_back();
    if (auto problem = TimestampFormat::compile(text, format))
      throw std::invalid_argument(*problem);
  }
  if (auto problem = TimeZoneRule::parse(options.timezone, zone_)) {
    throw std::invalid_argument(*problem);
  }
}

std::optional<std::string> ParseTimestampProcessor::parse_one(LogRecord& record,
                                                              TimestampNs now) const {
  const FieldPath& source = options_.source;
  const FieldValue* value = nullptr;
  if (source.root == FieldPath::Root::kFields) {
    value = read_path_field(source, record.fields.get());
    if (value == nullptr) return source.text() + " is not set";
  }
  for (const TimestampFormat& format : formats_) {
    const std::optional<TimestampNs> time = value != nullptr
                                                ? format.parse_value(*value, zone_, now)
                                                : format.parse(record.message, zone_, now);
    if (!time) continue;
    record.event_time = *time;
    if (value != nullptr && options_.remove_source) erase_field(record.fields, source);
    return std::nullopt;
  }
  return source.text() + " holds no time in any of the formats";
}

void ParseTimestampProcessor::process(std::vector<LogRecord>& records) {
  const TimestampNs now = now_ns();
  parse_each(records, options_.on_error, options_.error_field, name_, metrics_,
             [&](LogRecord& record) { return parse_one(record, now); });
}

}  // namespace lc
