#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/log_record.hpp"
#include "processors/common/text_parser_output.hpp"
#include "processors/processor_metrics.hpp"

namespace lc {

// Calls `parse_one(record)` (nullopt, or what is wrong) on each record, in order; a record it
// cannot parse is counted in errors and goes on per `on_error`: unchanged, dropped (counted),
// or with `error_field` set to "<processor>: <problem>". The loop every parser shares.
template <typename ParseOne>
void parse_each(std::vector<LogRecord>& records, TextParserOutput::OnError on_error,
                const std::string& error_field, const std::string& processor,
                ProcessorMetrics& metrics, ParseOne&& parse_one) {
  std::size_t kept = 0;  // records [0, kept) go on, in order
  for (std::size_t i = 0; i < records.size(); ++i) {
    LogRecord& record = records[i];
    if (const std::optional<std::string> problem = parse_one(record)) {
      metrics.errors.inc();
      if (on_error == TextParserOutput::OnError::kDrop) {
        metrics.dropped.inc();
        continue;
      }
      if (on_error == TextParserOutput::OnError::kFlag) {
        record.fields.edit().set(error_field, processor + ": " + *problem);
      }
    }
    if (kept != i) records[kept] = std::move(record);
    ++kept;
  }
  records.resize(kept);
}

}  // namespace lc
