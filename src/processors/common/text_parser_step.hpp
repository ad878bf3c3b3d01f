#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_value.hpp"
#include "core/log_record.hpp"
#include "processors/common/text_parser_output.hpp"
#include "processors/processor_metrics.hpp"

namespace lc {

// Parses each record's source with `parse` (text -> a value, or what is wrong) and writes the
// value to the target; a record it cannot parse goes on per on_error, counted in `metrics`.
// Keeps the records' order. Several threads at once if `parse` allows it.
class TextParserStep {
 public:
  using Parse = std::function<std::optional<std::string>(std::string_view text, FieldValue& out)>;

  TextParserStep(std::string name, TextParserOutput output, ProcessorMetrics& metrics);
  void process(std::vector<LogRecord>& records, const Parse& parse) const;
  // One record's source parsed into its target, or what is wrong (the record unchanged; the
  // caller counts it).
  std::optional<std::string> parse_one(LogRecord& record, const Parse& parse) const;

 private:
  std::string name_;
  TextParserOutput output_;
  ProcessorMetrics& metrics_;
};

}  // namespace lc
