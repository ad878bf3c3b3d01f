#include "processors/parse_json/parse_json_processor.hpp"

#include "core/field_write.hpp"
#include "core/record_template.hpp"
#include "processors/parse_json/json_field_value.hpp"

namespace lc {

ParseJsonProcessor::ParseJsonProcessor(std::string name, const ParseJsonOptions& options,
                                       ProcessorMetrics& metrics)
    : name_(std::move(name)), options_(options), metrics_(metrics) {}

std::optional<std::string> ParseJsonProcessor::parse(LogRecord& record) const {
  std::string_view text = record.message;
  if (options_.source.root == FieldPath::Root::kFields) {
    const FieldValue* source = read_path_field(options_.source, record.fields.get());
    if (source == nullptr) return options_.source.text() + " is not set";
    if (source->type() != FieldValue::Type::kString) {
      return options_.source.text() + " is not a string";
    }
    text = source->as_string();
  }
  FieldValue parsed;
  if (auto problem = parse_json_field_value(text, options_.max_depth, parsed)) return problem;
  if (!options_.target.segments.empty()) {
    *writable_field(record.fields, options_.target) = std::move(parsed);
    return std::nullopt;
  }
  if (parsed.type() != FieldValue::Type::kMap) return "not a JSON object";
  if (record.fields.empty()) {  // the usual case: the object becomes the fields
    record.fields = RecordFields(std::move(parsed.as_map()));
    return std::nullopt;
  }
  FieldValue& fields = record.fields.edit();
  for (FieldEntry& entry : parsed.as_map()) fields.set(entry.key, std::move(entry.value));
  return std::nullopt;
}

void ParseJsonProcessor::process(std::vector<LogRecord>& records) {
  std::size_t kept = 0;  // records [0, kept) go on, in order
  for (std::size_t i = 0; i < records.size(); ++i) {
    LogRecord& record = records[i];
    if (const std::optional<std::string> problem = parse(record)) {
      metrics_.errors.inc();
      if (options_.on_error == ParseJsonOptions::OnError::kDrop) {
        metrics_.dropped.inc();
        continue;
      }
      if (options_.on_error == ParseJsonOptions::OnError::kFlag) {
        record.fields.edit().set(options_.error_field, name_ + ": " + *problem);
      }
    }
    if (kept != i) records[kept] = std::move(record);
    ++kept;
  }
  records.resize(kept);
}

}  // namespace lc
