#pragma once

#include <string>
#include <vector>

#include "processors/common/text_parser_step.hpp"
#include "processors/parse_regex/parse_regex_options.hpp"
#include "processors/parse_regex/regex_fields.hpp"
#include "processors/processor.hpp"

namespace lc {

// processors: - type: parse_regex. The named captures of a pattern found in each record's
// message (or a string field) become typed fields; a line it does not match, or a capture not
// of its type, passes per on_error, counted. Stateless: safe on several threads at once.
class ParseRegexProcessor final : public Processor {
 public:
  // Throws std::invalid_argument when the pattern does not compile (the config reader has
  // said so already).
  ParseRegexProcessor(std::string name, const ParseRegexOptions& options,
                      ProcessorMetrics& metrics);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  std::string name_;
  RegexFields fields_;
  TextParserStep step_;
};

}  // namespace lc
