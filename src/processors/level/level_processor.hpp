#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/field_path.hpp"
#include "core/level_words.hpp"
#include "processors/level/level_options.hpp"
#include "processors/processor.hpp"
#include "processors/processor_metrics.hpp"

namespace lc {

// processors: - type: level. Writes a normalised level (trace ... fatal) to a field, from the
// first listed field holding one, else from what the message states. Stateless.
class LevelProcessor final : public Processor {
 public:
  LevelProcessor(std::string name, const LevelOptions& options, ProcessorMetrics& metrics);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  std::optional<LogLevel> find_level(const LogRecord& record) const;

  std::string name_;
  std::vector<FieldPath> fields_;
  bool message_;
  FieldPath target_;
  std::optional<LogLevel> fallback_;
  ProcessorMetrics& metrics_;
  Counter& not_found_;
};

}  // namespace lc
