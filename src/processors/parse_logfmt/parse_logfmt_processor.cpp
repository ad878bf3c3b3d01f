#include "processors/parse_logfmt/parse_logfmt_processor.hpp"

#include "processors/parse_logfmt/logfmt_fields.hpp"

namespace lc {

ParseLogfmtProcessor::ParseLogfmtProcessor(std::string name, const ParseLogfmtOptions& options,
                                           ProcessorMetrics& metrics)
    : name_(std::move(name)), step_(name_, options.output, metrics) {}

void ParseLogfmtProcessor::process(std::vector<LogRecord>& records) {
  step_.process(records, parse_logfmt_fields);
}

}  // namespace lc
