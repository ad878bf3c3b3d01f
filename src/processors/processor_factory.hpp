#pragma once

#include <memory>
#include <string_view>

#include "config/processor_spec.hpp"
#include "config/type_table.hpp"
#include "processors/processor.hpp"
#include "processors/processor_metrics.hpp"

namespace lc {

class YamlSection;

// One processor type: how its options are read and how the processor is built from them. Each
// type's folder has one (processors/<type>/<type>_processor_factory.cpp), listed in
// processors/all_processors.cpp.
class ProcessorFactory {
 public:
  virtual ~ProcessorFactory() = default;
  // The YAML `type:` that names it.
  virtual std::string_view type() const = 0;
  // Reads the type's own keys from the item, with the checks across them; problems go to the
  // item (name and type are read by the loader).
  virtual std::shared_ptr<const ComponentOptions> read_options(YamlSection& item) const = 0;
  // Throws std::invalid_argument when the options cannot work (normally reported at load).
  // `metrics` (the chain's, outliving the processor): it counts its drops and errors there.
  virtual std::unique_ptr<Processor> build(const ProcessorSpec& spec,
                                           ProcessorMetrics& metrics) const = 0;
  // Whether the inputs run it, per stream, before the records exist as a batch (multiline):
  // the chain passes it by and never calls build().
  virtual bool runs_in_inputs() const { return false; }
  // One line for the start-up log: what this processor does.
  virtual std::string describe(const ProcessorSpec& spec) const = 0;
};

using ProcessorTypes = TypeTable<ProcessorFactory>;

}  // namespace lc
