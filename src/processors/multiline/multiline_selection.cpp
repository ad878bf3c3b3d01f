#include "processors/multiline/multiline_selection.hpp"

#include <spdlog/spdlog.h>

#include "processors/multiline/multiline_options.hpp"
#include "processors/processor_metrics.hpp"

namespace lc::multiline {

namespace {

// "java, python" -> {java, python}.
std::vector<std::string> preset_list(const std::string& text) {
  std::vector<std::string> names;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t end = text.find(',', begin);
    if (end == std::string::npos) end = text.size();
    std::string name = text.substr(begin, end - begin);
    std::erase_if(name, [](char c) { return c == ' ' || c == '\t'; });
    if (!name.empty()) names.push_back(std::move(name));
    begin = end + 1;
  }
  return names;
}

}  // namespace

MultilineSelection::MultilineSelection(const std::vector<ProcessorSpec>& processors,
                                       bool container_hints, MetricsRegistry& metrics)
    : metrics_(metrics), hints_(container_hints) {
  for (const ProcessorSpec& spec : processors) {
    if (spec.type != "multiline") continue;
    const auto& options = spec.options_as<MultilineOptions>();
    Entry& entry = entries_.emplace_back();
    if (spec.when) entry.when.emplace(*spec.when);
    entry.joining = {MultilineRules::compile(options.rules), options.limits(),
                     counters_for(spec.name, /*counts_records=*/true)};
  }
  // The chain counts container_hints' records: only the joins are counted here.
  if (hints_) hint_counters_ = counters_for("container_hints", /*counts_records=*/false);
}

JoinCounters MultilineSelection::counters_for(const std::string& processor, bool counts_records) {
  const MetricLabels labels{{"processor", processor}};
  JoinCounters counters;
  if (counts_records) {
    counters.lines_in = &metrics_.counter("log_capturer_processor_records_in_total",
                                          kProcessorRecordsInHelp, labels);
    counters.records_out = &metrics_.counter("log_capturer_processor_records_out_total",
                                             kProcessorRecordsOutHelp, labels);
  }
  counters.joined =
      &metrics_.counter("log_capturer_processor_multiline_joined_total",
                        "Records a multiline join made of more than one line.", labels);
  counters.truncated =
      &metrics_.counter("log_capturer_processor_multiline_truncated_total",
                        "Records a multiline join delivered at max_lines or max_bytes (flagged "
                        "truncated; the next line is read as if no record were open).",
                        labels);
  return counters;
}

std::optional<StreamJoining> MultilineSelection::for_stream(const LogRecord& probe) const {
  if (auto joining = hinted(probe)) return joining;
  for (const Entry& entry : entries_) {
    if (!entry.when || entry.when->matches_source(probe)) return entry.joining;
  }
  return std::nullopt;
}

std::optional<StreamJoining> MultilineSelection::hinted(const LogRecord& probe) const {
  if (!hints_ || !probe.container) return std::nullopt;
  const auto label = probe.container->labels.find(kMultilineHint);
  if (label == probe.container->labels.end()) return std::nullopt;
  const std::lock_guard lock(hinted_mutex_);
  auto known = hinted_.find(label->second);
  if (known == hinted_.end()) {
    std::shared_ptr<const MultilineRules> rules;
    try {
      RuleChoice choice;
      choice.presets = preset_list(label->second);
      rules = MultilineRules::compile(choice);
    } catch (const std::exception& e) {
      spdlog::warn("container {}: label {}=\"{}\" is ignored: {}", probe.container->name,
                   kMultilineHint, label->second, e.what());
    }
    known = hinted_.emplace(label->second, std::move(rules)).first;
  }
  if (!known->second) return std::nullopt;
  return StreamJoining{known->second, MultilineOptions().limits(), hint_counters_};
}

}  // namespace lc::multiline
