#include "processors/parse_syslog/parse_syslog_processor.hpp"

#include "processors/parse_syslog/syslog_fields.hpp"

namespace lc {

ParseSyslogProcessor::ParseSyslogProcessor(std::string name, const ParseSyslogOptions& options,
                                           ProcessorMetrics& metrics)
    : name_(std::move(name)), step_(name_, options.output, metrics) {}

void ParseSyslogProcessor::process(std::vector<LogRecord>& records) {
  step_.process(records, parse_syslog_fields);
}

}  // namespace lc
