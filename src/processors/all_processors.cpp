#include "processors/all_processors.hpp"

#include "processors/container_hints/container_hints_processor_factory.hpp"
#include "processors/dedup/dedup_processor_factory.hpp"
#include "processors/fields/fields_processor_factory.hpp"
#include "processors/filter/filter_processor_factory.hpp"
#include "processors/level/level_processor_factory.hpp"
#include "processors/log_to_metric/log_to_metric_processor_factory.hpp"
#include "processors/lua/lua_processor_factory.hpp"
#include "processors/multiline/multiline_processor_factory.hpp"
#include "processors/parse_json/parse_json_processor_factory.hpp"
#include "processors/parse_logfmt/parse_logfmt_processor_factory.hpp"
#include "processors/parse_regex/parse_regex_processor_factory.hpp"
#include "processors/parse_syslog/parse_syslog_processor_factory.hpp"
#include "processors/parse_timestamp/parse_timestamp_processor_factory.hpp"
#include "processors/redact/redact_processor_factory.hpp"
#include "processors/sample/sample_processor_factory.hpp"
#include "processors/throttle/throttle_processor_factory.hpp"

namespace lc {

// The one list of processor types: a new type is its folder and one line here (and its
// #include).
const ProcessorTypes& built_in_processor_types() {
  static const ProcessorTypes types({
      &multiline_processor_factory(),
      &filter_processor_factory(),
      &parse_json_processor_factory(),
      &parse_logfmt_processor_factory(),
      &parse_regex_processor_factory(),
      &parse_syslog_processor_factory(),
      &parse_timestamp_processor_factory(),
      &fields_processor_factory(),
      &redact_processor_factory(),
      &throttle_processor_factory(),
      &sample_processor_factory(),
      &dedup_processor_factory(),
      &level_processor_factory(),
      &log_to_metric_processor_factory(),
      &lua_processor_factory(),
      &container_hints_processor_factory(),
  });
  return types;
}

}  // namespace lc
