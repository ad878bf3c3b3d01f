#include "processors/common/text_parser_step.hpp"

#include <unordered_map>

#include "core/field_write.hpp"
#include "core/record_template.hpp"

namespace lc {

namespace {

// `into` gets every key of `from`: a key it has takes the new value in its place, the others
// follow in order. Indexed when large, so that the work stays in proportion to the keys.
void merge(FieldValue::Map& into, FieldValue::Map from) {
  constexpr std::size_t kIndexFrom = 32;
  into.reserve(into.size() + from.size());  // no reallocation below: the index stays valid
  std::unordered_map<std::string_view, std::size_t> index;
  if (into.size() * from.size() > kIndexFrom * kIndexFrom) {
    for (std::size_t i = 0; i < into.size(); ++i) index.emplace(into[i].key, i);
  }
  for (FieldEntry& entry : from) {
    std::optional<std::size_t> at;
    if (!index.empty()) {
      if (const auto found = index.find(entry.key); found != index.end()) at = found->second;
    } else {
      for (std::size_t i = 0; i < into.size(); ++i) {
        if (into[i].key == entry.key) at = i;
      }
    }
    if (at) {
      into[*at].value = std::move(entry.value);
      continue;
    }
    into.push_back(std::move(entry));
    if (!index.empty()) index.emplace(into.back().key, into.size() - 1);
  }
}

}  // namespace

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
  merge(record.fields.edit().as_map(), std::move(parsed.as_map()));
  return std::nullopt;
}

void TextParserStep::process(std::vector<LogRecord>& records, const Parse& parse) const {
  std::size_t kept = 0;  // records [0, kept) go on, in order
  for (std::size_t i = 0; i < records.size(); ++i) {
    LogRecord& record = records[i];
    if (const std::optional<std::string> problem = parse_one(record, parse)) {
      metrics_.errors.inc();
      if (output_.on_error == TextParserOutput::OnError::kDrop) {
        metrics_.dropped.inc();
        continue;
      }
      if (output_.on_error == TextParserOutput::OnError::kFlag) {
        record.fields.edit().set(output_.error_field, name_ + ": " + *problem);
      }
    }
    if (kept != i) records[kept] = std::move(record);
    ++kept;
  }
  records.resize(kept);
}

}  // namespace lc
