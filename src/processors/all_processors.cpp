#include "processors/all_processors.hpp"

#include "processors/filter/filter_processor_factory.hpp"
#include "processors/parse_json/parse_json_processor_factory.hpp"
#include "processors/parse_logfmt/parse_logfmt_processor_factory.hpp"

namespace lc {

// The one list of processor types: a new type is its folder and one line here (and its
// #include).
const ProcessorTypes& built_in_processor_types() {
  static const ProcessorTypes types({
      &filter_processor_factory(),
      &parse_json_processor_factory(),
      &parse_logfmt_processor_factory(),
  });
  return types;
}

}  // namespace lc
