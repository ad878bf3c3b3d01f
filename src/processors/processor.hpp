#pragma once

#include <string>
#include <vector>

#include "core/log_record.hpp"

namespace lc {

// One step of the processors stage, between the inputs and the router (docs/architecture.md).
// A processor type lives in a folder of its own (processors/<type>/) and is built from its
// ProcessorConfig by make_processor().
//
// process() is called on the inputs' threads, several at once, each time with the records of
// one source read together, in order. A processor may change records, remove some or reorder
// none: the source positions (checkpoints) of the whole group were taken before, so removed
// records count as done and are not read again after a restart.
class Processor {
 public:
  virtual ~Processor() = default;
  virtual const std::string& name() const = 0;
  virtual void process(std::vector<LogRecord>& records) = 0;
};

}  // namespace lc
