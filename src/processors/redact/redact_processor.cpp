#include "processors/redact/redact_processor.hpp"

#include <algorithm>
#include <stdexcept>

#include "core/field_write.hpp"
#include "core/record_template.hpp"
#include "processors/redact/redact_presets.hpp"

namespace lc {
namespace {

struct NamedPattern {
  std::string name;  // the counter's `pattern` label
  Redactor::Pattern pattern;
};

std::vector<NamedPattern> chosen_patterns(const RedactOptions& options) {
  const bool all =
      std::find(options.presets.begin(), options.presets.end(), "all") != options.presets.end();
  std::vector<NamedPattern> chosen;
  for (const RedactPattern& preset : redact_patterns()) {
    if (all || std::find(options.presets.begin(), options.presets.end(), preset.preset) !=
                   options.presets.end()) {
      chosen.push_back({std::string(preset.preset), {std::string(preset.pattern), preset.luhn}});
    }
  }
  for (const auto& [name, pattern] : options.patterns) chosen.push_back({name, {pattern, false}});
  return chosen;
}

std::vector<Redactor::Pattern> patterns_of(const std::vector<NamedPattern>& named) {
  std::vector<Redactor::Pattern> patterns;
  for (const NamedPattern& entry : named) patterns.push_back(entry.pattern);
  return patterns;
}

SecretReplacement replacement_of(const RedactOptions& options) {
  if (options.replace == "mask") return SecretReplacement::mask();
  if (options.replace == "hash") return SecretReplacement::hash(options.hash_key);
  return SecretReplacement::text(options.replace);
}

}  // namespace

RedactProcessor::RedactProcessor(std::string name, const RedactOptions& options,
                                 ProcessorMetrics& metrics)
    : name_(std::move(name)),
      redactor_(patterns_of(chosen_patterns(options)), replacement_of(options)),
      message_(options.message) {
  for (const std::string& key : options.fields) {
    FieldPath& path = fields_.emplace_back();
    if (auto problem = parse_fields_key(key, path)) throw std::invalid_argument(*problem);
  }
  for (const NamedPattern& pattern : chosen_patterns(options)) {
    counters_.push_back(&metrics.counter("log_capturer_processor_redactions_total",
                                         "Secrets a redact processor replaced, by preset or "
                                         "custom pattern name.",
                                         {{"pattern", pattern.name}}));
  }
}

void RedactProcessor::process(std::vector<LogRecord>& records) {
  thread_local std::vector<std::size_t> matches;
  matches.assign(redactor_.size(), 0);
  for (LogRecord& record : records) redact_record(record, matches);
  for (std::size_t i = 0; i < matches.size(); ++i) {
    if (matches[i] > 0) counters_[i]->inc(matches[i]);
  }
}

void RedactProcessor::redact_record(LogRecord& record, std::vector<std::size_t>& matches) const {
  if (message_ && redactor_.redact(record.message, matches)) record.valid_utf8 = false;
  for (const FieldPath& path : fields_) {
    const FieldValue* present = read_path_field(path, record.fields.get());
    if (present == nullptr) continue;
    FieldValue copy = *present;  // fields are shared between a record's copies: write if changed
    const std::vector<std::size_t> before = matches;
    redact_value(copy, matches);
    if (matches != before) *writable_field(record.fields, path) = std::move(copy);
  }
}

void RedactProcessor::redact_value(FieldValue& value, std::vector<std::size_t>& matches) const {
  switch (value.type()) {
    case FieldValue::Type::kString: {
      std::string text = value.as_string();
      if (redactor_.redact(text, matches)) value = FieldValue(std::move(text));
      return;
    }
    case FieldValue::Type::kMap:
      for (FieldEntry& entry : value.as_map()) redact_value(entry.value, matches);
      return;
    case FieldValue::Type::kList:
      for (FieldValue& item : value.as_list()) redact_value(item, matches);
      return;
    default:
      return;
  }
}

}  // namespace lc
