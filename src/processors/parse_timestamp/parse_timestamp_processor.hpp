#pragma once

#include <string>
#include <vector>

#include "core/field_path.hpp"
#include "processors/parse_timestamp/parse_timestamp_options.hpp"
#include "processors/parse_timestamp/time_zone_rule.hpp"
#include "processors/parse_timestamp/timestamp_format.hpp"
#include "processors/processor.hpp"
#include "processors/processor_metrics.hpp"

namespace lc {

// processors: - type: parse_timestamp. Sets each record's event time (LogRecord::event_time)
// from its source; the source time (`time`, Docker's or the read time) stays the record's
// position. Stateless.
class ParseTimestampProcessor final : public Processor {
 public:
  ParseTimestampProcessor(std::string name, const ParseTimestampOptions& options,
                          ProcessorMetrics& metrics);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

  // Sets one record's event time, or says why not (the record unchanged). `now` dates a time
  // without a year.
  std::optional<std::string> parse_one(LogRecord& record, TimestampNs now) const;

 private:
  std::string name_;
  ParseTimestampOptions options_;
  std::vector<TimestampFormat> formats_;
  TimeZoneRule zone_;
  ProcessorMetrics& metrics_;
};

}  // namespace lc
