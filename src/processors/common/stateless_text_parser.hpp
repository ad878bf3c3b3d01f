#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "processors/common/text_parser_step.hpp"
#include "processors/processor.hpp"

namespace lc {

// A parser processor whose parse is a plain function of the text (parse_logfmt,
// parse_syslog): its options hold only a TextParserOutput `output`. Stateless: safe on several
// threads at once.
template <typename Options,
          std::optional<std::string> (*kParse)(std::string_view text, FieldValue& out)>
class StatelessTextParser final : public Processor {
 public:
  StatelessTextParser(std::string name, const Options& options, ProcessorMetrics& metrics)
      : name_(std::move(name)), step_(name_, options.output, metrics) {}

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override { step_.process(records, kParse); }

 private:
  std::string name_;
  TextParserStep step_;
};

}  // namespace lc
