#pragma once

#include <string>
#include <vector>

#include "core/field_path.hpp"
#include "processors/processor.hpp"
#include "processors/processor_metrics.hpp"
#include "processors/redact/redact_options.hpp"
#include "processors/redact/redactor.hpp"

namespace lc {

// processors: - type: redact. Replaces the secrets its presets and patterns find in each
// record's message, and the string values of the chosen fields whole (their values are the
// secrets: `password`), counting them per preset
// (log_capturer_processor_redactions_total{processor, pattern}). Safe on several threads.
class RedactProcessor final : public Processor {
 public:
  RedactProcessor(std::string name, const RedactOptions& options, ProcessorMetrics& metrics);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  void redact_record(LogRecord& record, std::vector<std::size_t>& matches) const;
  // Replaces every string at or below `value`; returns how many.
  std::size_t replace_strings(FieldValue& value) const;

  std::string name_;
  Redactor redactor_;
  SecretReplacement replacement_;
  bool message_;
  Counter& fields_counter_;
  std::vector<FieldPath> fields_;
  std::vector<Counter*> counters_;  // per pattern: its preset's (or custom name's) counter
};

}  // namespace lc
