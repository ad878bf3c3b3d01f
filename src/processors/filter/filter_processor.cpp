#include "processors/filter/filter_processor.hpp"

#include <algorithm>
#include <stdexcept>

namespace lc {

FilterProcessor::FilterProcessor(std::string name, const FilterOptions& options, Counter* dropped)
    : name_(std::move(name)), dropped_(dropped) {
  if (options.include) include_.emplace(*options.include);
  if (options.exclude) exclude_.emplace(*options.exclude);
  if (!include_ && !exclude_) {
    throw std::invalid_argument("filter " + name_ + ": needs include, exclude or both");
  }
}

bool FilterProcessor::keeps(const LogRecord& record) const {
  if (include_ && !include_->matches(record)) return false;
  return !(exclude_ && exclude_->matches(record));
}

void FilterProcessor::process(std::vector<LogRecord>& records) {
  const std::size_t before = records.size();
  filter(records);
  if (dropped_ != nullptr) dropped_->inc(before - records.size());
}

void FilterProcessor::filter(std::vector<LogRecord>& records) const {
  // The records of one call share their source and usually their stream: when the selectors
  // look at neither messages nor fields, one answer per run of records from the same source will
  // do.
  const bool by_source =
      (!include_ || !include_->looks_at_record()) && (!exclude_ || !exclude_->looks_at_record());
  if (by_source && !records.empty()) {
    const LogRecord& first = records.front();
    const bool uniform = std::all_of(records.begin(), records.end(), [&](const LogRecord& r) {
      return RecordSelector::same_source(r, first);
    });
    if (uniform) {
      if (!keeps(first)) records.clear();
      return;
    }
  }
  std::erase_if(records, [this](const LogRecord& record) { return !keeps(record); });
}

}  // namespace lc
