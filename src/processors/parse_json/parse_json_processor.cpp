#include "processors/parse_json/parse_json_processor.hpp"

#include <optional>
#include <unordered_map>

#include "core/field_write.hpp"
#include "core/record_template.hpp"
#include "processors/parse_json/json_field_value.hpp"

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
    FieldValue* target = writable_field(record.fields, options_.target);
    if (target == nullptr)
      return options_.target.text() + " goes through a value that is not a map";
    *target = std::move(parsed);
    return std::nullopt;
  }
  if (parsed.type() != FieldValue::Type::kMap) return "not a JSON object";
  if (record.fields.empty()) {  // the usual case: the object becomes the fields
    record.fields = RecordFields(std::move(parsed.as_map()));
    return std::nullopt;
  }
  merge(record.fields.edit().as_map(), std::move(parsed.as_map()));
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
