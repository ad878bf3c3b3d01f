#include "processors/level/level_processor.hpp"

#include <stdexcept>

#include "core/field_write.hpp"
#include "core/record_template.hpp"

namespace lc {
namespace {}  // namespace

LevelProcessor::LevelProcessor(std::string name, const LevelOptions& options,
                               ProcessorMetrics& metrics)
    : name_(std::move(name)),
      message_(options.message),
      target_(checked_fields_key(options.target)),
      metrics_(metrics),
      not_found_(metrics.counter("log_capturer_processor_level_not_found_total",
                                 "Records a level processor found no level in (given its "
                                 "fallback, if set).")) {
  for (const std::string& key : options.fields) fields_.push_back(checked_fields_key(key));
  if (!options.fallback.empty()) fallback_ = level_of_word(options.fallback);
}

std::optional<LogLevel> LevelProcessor::find_level(const LogRecord& record) const {
  const FieldValue* fields = record.fields.get();
  for (const FieldPath& path : fields_) {
    if (const FieldValue* value = read_path_field(path, fields)) {
      if (auto level = level_of_value(*value)) return level;
    }
  }
  if (message_) return level_in_message(record.message);
  return std::nullopt;
}

void LevelProcessor::process(std::vector<LogRecord>& records) {
  for (LogRecord& record : records) {
    std::optional<LogLevel> level = find_level(record);
    if (!level) {
      not_found_.inc();
      level = fallback_;
      if (!level) continue;
    }
    FieldValue* target = writable_field(record.fields, target_);
    if (target == nullptr) {
      metrics_.errors.inc();  // the target goes through a value that is not a map
      continue;
    }
    *target = FieldValue(level_name(*level));
  }
}

}  // namespace lc
