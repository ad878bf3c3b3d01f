#include "processors/log_to_metric/user_metric.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace lc {
namespace {

std::optional<double> number_of(const FieldValue& value) {
  switch (value.type()) {
    case FieldValue::Type::kInt:
      return static_cast<double>(value.as_int());
    case FieldValue::Type::kFloat:
      return value.as_float();
    case FieldValue::Type::kString: {
      const std::string& text = value.as_string();
      double number = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
      }
      return number;
    }
    default:
      return std::nullopt;
  }
}

}  // namespace

UserMetric::UserMetric(const UserMetricOptions& options, std::uint32_t max_series,
                       ProcessorMetrics& metrics, const std::string& host)
    : options_(options),
      exported_name_("log_capturer_user_" + options.name +
                     (options.type == UserMetricOptions::Type::kCounter ? "_total" : "")),
      max_series_(max_series),
      scope_(metrics.registry),
      host_(host),
      refused_(metrics.counter("log_capturer_user_metric_series_refused_total",
                               "Records a log_to_metric metric did not count: their label values "
                               "would have made a series beyond max_series.",
                               {{"metric", options.name}})) {
  for (const auto& [label, text] : options.labels) {
    RecordTemplate parsed;
    if (auto problem = RecordTemplate::parse(text, parsed)) throw std::invalid_argument(*problem);
    labels_.emplace_back(label, std::move(parsed));
  }
  if (!options.field.empty()) {
    if (auto problem = parse_fields_key(options.field, field_)) {
      throw std::invalid_argument(*problem);
    }
  }
}

const UserMetric::SeriesRef* UserMetric::series_for(const std::string& key,
                                                    const LogRecord& record) {
  if (auto found = series_.find(key); found != series_.end()) return &found->second;
  if (series_.size() >= max_series_) return nullptr;
  MetricLabels labels;
  for (const auto& [label, value] : labels_) {
    labels.emplace_back(label, value.render(RecordContext{record, host_}));
  }
  const std::string help =
      options_.help.empty() ? "log_to_metric: " + options_.name : options_.help;
  SeriesRef made;
  try {
    if (options_.type == UserMetricOptions::Type::kCounter) {
      made.counter = &scope_.counter(exported_name_, help, labels);
    } else {
      made.histogram = &scope_.histogram(exported_name_, help, options_.buckets, labels);
    }
  } catch (const std::logic_error&) {
    return nullptr;  // the name is another type's (a second processor's metric): refused
  }
  return &series_.emplace(key, made).first->second;
}

bool UserMetric::record(const LogRecord& record) {
  thread_local std::string key;
  key.clear();
  for (const auto& label : labels_) {
    label.second.render(RecordContext{record, host_}, key);
    key += '\x1f';
  }
  std::optional<double> observed;
  if (options_.type == UserMetricOptions::Type::kHistogram) {
    const FieldValue* value = read_path_field(field_, record.fields.get());
    if (value == nullptr || !(observed = number_of(*value)) || !std::isfinite(*observed)) {
      return false;
    }
  }
  const std::lock_guard lock(mutex_);
  const SeriesRef* series = series_for(key, record);
  if (series == nullptr) {
    refused_.inc();
    return true;
  }
  if (series->counter != nullptr) series->counter->inc();
  if (series->histogram != nullptr) series->histogram->observe(*observed);
  return true;
}

}  // namespace lc
