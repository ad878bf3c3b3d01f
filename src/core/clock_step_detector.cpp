#include "core/clock_step_detector.hpp"

namespace lc {

ClockStepDetector::ClockStepDetector(std::int64_t threshold_ns, Clock wall, Clock monotonic)
    : threshold_ns_(threshold_ns),
      wall_(std::move(wall)),
      monotonic_(std::move(monotonic)),
      offset_(offset_now()) {}

std::int64_t ClockStepDetector::offset_now() const { return wall_() - monotonic_(); }

ClockStepDetector::Reading ClockStepDetector::check() {
  const std::int64_t offset = offset_now();
  const std::int64_t moved = offset - offset_;
  // Slewing (NTP's gradual correction) moves the offset by microseconds a second: it follows
  // along; only a jump of at least the threshold is a step.
  offset_ = offset;
  if (moved <= -threshold_ns_) return {Step::kBackward, -moved};
  if (moved >= threshold_ns_) return {Step::kForward, moved};
  return {};
}

}  // namespace lc
