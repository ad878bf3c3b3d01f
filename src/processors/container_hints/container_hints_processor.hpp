#pragma once

#include <map>
#include <string>
#include <vector>

#include "processors/common/text_parser_step.hpp"
#include "processors/container_hints/container_hints_options.hpp"
#include "processors/parse_regex/regex_fields.hpp"
#include "processors/processor.hpp"
#include "processors/processor_metrics.hpp"

namespace lc {

// processors: - type: container_hints. Applies what a container's labels ask for its own
// records, as Fluent Bit's Kubernetes annotations and Elastic's hints do:
//   io.log-capturer.exclude: "true"   the container's records are dropped (counted);
//   io.log-capturer.parser: json | logfmt | syslog | common | combined | nginx_error |
//                           apache_error   its lines are parsed into the fields (errors
//                           counted, the record kept).
// A parser value it does not know is counted in errors. Records of files pass untouched.
class ContainerHintsProcessor final : public Processor {
 public:
  ContainerHintsProcessor(std::string name, const ContainerHintsOptions& options,
                          ProcessorMetrics& metrics);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  // Parses by the hint; false when the hint names no parser or the line does not parse.
  bool parse(LogRecord& record, const std::string& parser) const;

  std::string name_;
  ProcessorMetrics& metrics_;
  TextParserStep step_;
  std::map<std::string, RegexFields, std::less<>> presets_;
};

inline constexpr const char* kExcludeHint = "io.log-capturer.exclude";
inline constexpr const char* kParserHint = "io.log-capturer.parser";

}  // namespace lc
