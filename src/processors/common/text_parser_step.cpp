#include "processors/common/text_parser_step.hpp"

#include "core/field_map_writer.hpp"
#include "core/field_write.hpp"
#include "core/record_template.hpp"
#include "processors/common/parse_each.hpp"

namespace lc {

TextParserStep::TextParserStep(std::string name, TextParserOutput output, ProcessorMetrics& metrics)
    : name_(std::move(name)), output_(std::move(output)), metrics_(metrics) {}

std::optional<std::string> TextParserStep::parse_one(LogRecord& record, const Parse& parse) const {
  std::string_view text = record.message;
  if (output_.source.root == FieldPath::Root::kFields) {
    const FieldValue* source = read_path_field(output_.source, record.fields.get());
    if (source == nullptr) return output_.source.text() + " is not set";
    if (source->type() != FieldValue::Type::kString) {
      return output_.source.text() + " is not a string";
    }
    text = source->as_string();
  }
  FieldValue parsed;
  if (auto problem = parse(text, parsed)) return problem;
  if (!output_.target.segments.empty()) {
    FieldValue* target = writable_field(record.fields, output_.target);
    if (target == nullptr) {
      return output_.target.text() + " goes through a value that is not a map";
    }
    *target = std::move(parsed);
    return std::nullopt;
  }
  if (parsed.type() != FieldValue::Type::kMap) return "not an object (a map of keys)";
  if (record.fields.empty()) {  // the usual case: the map becomes the fields
    record.fields = RecordFields(std::move(parsed.as_map()));
    return std::nullopt;
  }
  FieldValue::Map& fields = record.fields.edit().as_map();
  FieldMapWriter writer(fields, parsed.as_map().size());
  for (FieldEntry& entry : parsed.as_map()) writer.set(entry.key, std::move(entry.value));
  return std::nullopt;
}

void TextParserStep::process(std::vector<LogRecord>& records, const Parse& parse) const {
  parse_each(records, output_.on_error, output_.error_field, name_, metrics_,
             [&](LogRecord& record) { return parse_one(record, parse); });
}

}  // namespace lc
