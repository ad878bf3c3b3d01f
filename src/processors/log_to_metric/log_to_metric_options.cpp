#include "processors/log_to_metric/log_to_metric_options.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "config/yaml_section.hpp"
#include "core/field_path.hpp"
#include "core/record_template.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<UserMetricOptions::Type>, 2> kTypes{{
    {"counter", UserMetricOptions::Type::kCounter},
    {"histogram", UserMetricOptions::Type::kHistogram},
}};

bool is_prometheus_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) != 0) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  });
}

ValueProblem check_name(std::string_view name) {
  if (is_prometheus_name(name)) return std::nullopt;
  return "expected letters, digits and _ (not first a digit), got \"" + std::string(name) + "\"";
}

ValueProblem check_label_name(std::string_view name) {
  if (auto problem = check_name(name)) return problem;
  if (name.starts_with("__") || name == "le") return "\"" + std::string(name) + "\" is reserved";
  return std::nullopt;
}

ValueProblem check_number(std::string_view text) {
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return "expected a number, got \"" + std::string(text) + "\"";
  }
  return std::nullopt;
}

void read_metric(YamlSection& metric, UserMetricOptions& options) {
  metric.read_string({"name",
                      "Exported as `log_capturer_user_<name>` (a counter's with `_total`): "
                      "letters, digits and `_` (required).",
                      "required"},
                     options.name, check_name);
  metric.read_enum<UserMetricOptions::Type>(
      {"type",
       "`counter` counts the records; `histogram` observes `field` into `buckets` (its `_sum` "
       "is the field's sum, its `_count` the records)."},
      options.type, kTypes);
  metric.read_string({"help", "The metric's HELP text."}, options.help);
  metric.read_string_map({"labels",
                          "Label name to template, `{level: \"{{ .fields.level }}\", container: "
                          "\"{{ .container_name }}\"}`: one series per set of values, at most "
                          "`max_series`."},
                         options.labels, check_label_name, [](std::string_view text) {
                           RecordTemplate parsed;
                           return RecordTemplate::parse(text, parsed);
                         });
  metric.read_string({"field",
                      "The field a histogram observes (`.fields.duration_ms`): a number, or a "
                      "string holding one; a record without it is counted in errors."},
                     options.field, [](std::string_view text) -> ValueProblem {
                       FieldPath path;
                       return parse_fields_key(text, path);
                     });
  std::vector<std::string> buckets;
  metric.read_string_list({"buckets",
                           "A histogram's upper bounds, ascending, `[0.01, 0.1, 1, 10]` (+Inf is "
                           "added)."},
                          buckets, check_number);
  if (metric.cataloguing()) return;
  if (options.name.empty() && !metric.failed("name")) metric.fail("name", "is required");
  for (const std::string& bucket : buckets) options.buckets.push_back(std::stod(bucket));
  const bool histogram = options.type == UserMetricOptions::Type::kHistogram;
  if (histogram && (options.field.empty() || options.buckets.empty())) {
    metric.fail("type", "a histogram needs field and buckets");
  }
  if (!histogram && (!options.field.empty() || !options.buckets.empty())) {
    metric.fail("type", "field and buckets are a histogram's");
  }
  if (!std::is_sorted(options.buckets.begin(), options.buckets.end()) ||
      std::adjacent_find(options.buckets.begin(), options.buckets.end()) != options.buckets.end()) {
    metric.fail("buckets", "must be ascending, each once");
  }
}

}  // namespace

void read_log_to_metric_options(YamlSection& item, LogToMetricOptions& options) {
  item.read_section_list("metrics", [&](YamlSection& metric, std::size_t) {
    UserMetricOptions read;
    read_metric(metric, read);
    if (!item.cataloguing()) options.metrics.push_back(std::move(read));
  });
  item.read_count({"max_series",
                   "Label sets each metric keeps at most; records of further ones are not "
                   "counted but counted in `log_capturer_user_metric_series_refused_total`."},
                  options.max_series);
  if (item.cataloguing()) return;
  if (options.metrics.empty() && !item.failed("metrics")) {
    item.fail("metrics", "a log_to_metric processor needs at least one metric");
  }
  for (std::size_t i = 0; i < options.metrics.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (options.metrics[i].name == options.metrics[j].name && !options.metrics[i].name.empty()) {
        item.fail("metrics", "metric " + options.metrics[i].name + " is declared twice");
      }
    }
  }
}

}  // namespace lc
