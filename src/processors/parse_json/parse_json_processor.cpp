#include "processors/parse_json/parse_json_processor.hpp"

#include "processors/parse_json/json_field_value.hpp"

namespace lc {

ParseJsonProcessor::ParseJsonProcessor(std::string name, const ParseJsonOptions& options,
                                       ProcessorMetrics& metrics)
    : name_(std::move(name)),
      max_depth_(options.max_depth),
      step_(name_, options.output, metrics) {}

void ParseJsonProcessor::process(std::vector<LogRecord>& records) {
  step_.process(records, [this](std::string_view text, FieldValue& out) {
    return parse_json_field_value(text, max_depth_, out);
  });
}

}  // namespace lc
