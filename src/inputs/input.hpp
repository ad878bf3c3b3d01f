#pragma once

#include <cstddef>

namespace lc {

// A running input: reads from somewhere and submits records to the pipeline. Built by its
// type's factory (inputs/all_inputs.cpp); created, started, stopped and destroyed on the
// input loop.
class Input {
 public:
  virtual ~Input() = default;
  virtual void start() = 0;
  // Stops reading; its tasks end shortly after (a shutdown waits for active_streams() to be 0).
  virtual void stop() = 0;
  // Streams still open, for the shutdown's wait and the status.
  virtual std::size_t active_streams() const { return 0; }
  // Stopped, and every task it started has ended: it may be destroyed while its loop goes on
  // (a reload rebuilding this input alone). False when it cannot tell: a reload that changes
  // it then rebuilds the whole topology.
  virtual bool finished() const { return false; }
};

}  // namespace lc
