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

Counter& redactions(ProcessorMetrics& metrics, const std::string& pattern) {
  return metrics.counter("log_capturer_processor_redactions_total",
                         "Secrets a redact processor replaced, by preset or custom pattern name "
                         "(`fields`: the values of its fields).",
                         {{"pattern", pattern}});
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
      replacement_(replacement_of(options)),
      message_(options.message),
      fields_counter_(redactions(metrics, "fields")) {
  for (const std::string& key : options.fields) {
    fields_.push_back(checked_fields_key(key));
  }
  for (const NamedPattern& pattern : chosen_patterns(options)) {
    counters_.push_back(&redactions(metrics, pattern.name));
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
    if (read_path_field(path, record.fields.get()) == nullptr) continue;
    // Fields are shared between a record's copies: writable_field copies them first.
    if (FieldValue* value = writable_field(record.fields, path)) {
      fields_counter_.inc(replace_strings(*value));
    }
  }
}

std::size_t RedactProcessor::replace_strings(FieldValue& value) const {
  switch (value.type()) {
    case FieldValue::Type::kString: {
      std::string replaced;
      replacement_.append(value.as_string(), replaced);
      value = FieldValue(std::move(replaced));
      return 1;
    }
    case FieldValue::Type::kMap: {
      std::size_t count = 0;
      for (FieldEntry& entry : value.as_map()) count += replace_strings(entry.value);
      return count;
    }
    case FieldValue::Type::kList: {
      std::size_t count = 0;
      for (FieldValue& item : value.as_list()) count += replace_strings(item);
      return count;
    }
    default:
      return 0;  // numbers and booleans are kept: a secret is text
  }
}

}  // namespace lc
