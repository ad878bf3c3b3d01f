#pragma once

#include <cstdint>
#include <functional>

#include "core/timestamp.hpp"

namespace lc {

// Notices the wall clock being set: it and the monotonic clock advance together unless the
// time is stepped (a VM resumed, chrony or an operator setting it). Docker stamps lines with the
// wall clock, so a step back makes later lines look older than delivered ones: a since= resume
// in API mode may then skip them (json-file mode resumes by bytes and is not affected).
class ClockStepDetector {
 public:
  using Clock = std::function<std::int64_t()>;  // nanoseconds
  enum class Step : std::uint8_t { kNone, kBackward, kForward };
  struct Reading {
    Step step = Step::kNone;
    std::int64_t by_ns = 0;  // how far the wall clock moved against the monotonic one
  };

  // `wall`: Unix nanoseconds; `monotonic`: any steady nanoseconds. A difference in their
  // advance of `threshold_ns` or more between two checks is a step.
  ClockStepDetector(std::int64_t threshold_ns, Clock wall, Clock monotonic);

  Reading check();

 private:
  std::int64_t offset_now() const;

  const std::int64_t threshold_ns_;
  const Clock wall_;
  const Clock monotonic_;
  std::int64_t offset_;  // wall - monotonic at the last check
};

}  // namespace lc
