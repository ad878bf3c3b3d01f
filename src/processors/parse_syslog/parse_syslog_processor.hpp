#pragma once

#include <string>
#include <vector>

#include "processors/common/text_parser_step.hpp"
#include "processors/parse_syslog/parse_syslog_options.hpp"
#include "processors/processor.hpp"

namespace lc {

// processors: - type: parse_syslog. Parses each record's message (or a string field) as an
// RFC 5424 or RFC 3164 syslog line into its fields; a line that is neither passes per
// on_error, counted. Stateless: safe on several threads at once.
class ParseSyslogProcessor final : public Processor {
 public:
  ParseSyslogProcessor(std::string name, const ParseSyslogOptions& options,
                       ProcessorMetrics& metrics);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  std::string name_;
  TextParserStep step_;
};

}  // namespace lc
