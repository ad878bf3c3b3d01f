#pragma once

#include <string>
#include <vector>

#include "processors/common/text_parser_step.hpp"
#include "processors/parse_json/parse_json_options.hpp"
#include "processors/processor.hpp"

namespace lc {

// processors: - type: parse_json. Parses each record's message (or a string field) as JSON
// into its fields; what is not JSON passes per on_error, counted. Stateless (one simdjson
// parser per thread): safe on several threads at once.
class ParseJsonProcessor final : public Processor {
 public:
  ParseJsonProcessor(std::string name, const ParseJsonOptions& options, ProcessorMetrics& metrics);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  std::string name_;
  std::uint32_t max_depth_;
  TextParserStep step_;
};

}  // namespace lc
