#include "processors/parse_regex/parse_regex_processor.hpp"

namespace lc {

ParseRegexProcessor::ParseRegexProcessor(std::string name, const ParseRegexOptions& options,
                                         ProcessorMetrics& metrics)
    : name_(std::move(name)),
      fields_(UserRegex::compile_checked(options.effective_pattern()), options.types),
      step_(name_, options.output, metrics) {}

void ParseRegexProcessor::process(std::vector<LogRecord>& records) {
  step_.process(
      records, [this](std::string_view text, FieldValue& out) { return fields_.parse(text, out); });
}

}  // namespace lc
