#pragma once

#include <string>
#include <vector>

#include "processors/common/text_parser_step.hpp"
#include "processors/parse_logfmt/parse_logfmt_options.hpp"
#include "processors/processor.hpp"

namespace lc {

// processors: - type: parse_logfmt. Parses each record's message (or a string field) as logfmt
// into its fields; a line without a key=value pair passes per on_error, counted. Stateless:
// safe on several threads at once.
class ParseLogfmtProcessor final : public Processor {
 public:
  ParseLogfmtProcessor(std::string name, const ParseLogfmtOptions& options,
                       ProcessorMetrics& metrics);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  std::string name_;
  TextParserStep step_;
};

}  // namespace lc
