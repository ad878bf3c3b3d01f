#include "processors/log_to_metric/log_to_metric_processor_factory.hpp"

#include "processors/common/processor_factory_of.hpp"
#include "processors/log_to_metric/log_to_metric_processor.hpp"

namespace lc {
namespace {

std::string describe_log_to_metric(const LogToMetricOptions& options) {
  std::string names;
  for (const UserMetricOptions& metric : options.metrics) {
    names += (names.empty() ? "" : ", ") + metric.name;
  }
  return "[" + names + "]";
}

}  // namespace

const ProcessorFactory& log_to_metric_processor_factory() {
  static const ProcessorFactoryOf<LogToMetricOptions, read_log_to_metric_options,
                                  LogToMetricProcessor, describe_log_to_metric>
      factory("log_to_metric");
  return factory;
}

}  // namespace lc
