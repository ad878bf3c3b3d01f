#pragma once

#include <optional>
#include <string>

#include "metrics/metrics_registry.hpp"
#include "processors/filter/filter_options.hpp"
#include "processors/processor.hpp"
#include "processors/record_selector.hpp"

namespace lc {

// processors: - type: filter. Keeps only the records matching `include` (when set), then drops
// those matching `exclude`. Stateless: safe on several threads at once.
class FilterProcessor final : public Processor {
 public:
  // Throws std::invalid_argument when neither include nor exclude is set, or a regex is bad.
  FilterProcessor(std::string name, const FilterOptions& options, Counter* dropped = nullptr);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  bool keeps(const LogRecord& record) const;
  void filter(std::vector<LogRecord>& records) const;

  std::string name_;
  Counter* dropped_;  // null: not counted (tests)
  std::optional<RecordSelector> include_;
  std::optional<RecordSelector> exclude_;
};

}  // namespace lc
