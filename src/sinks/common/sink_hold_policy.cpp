#include "sinks/common/sink_hold_policy.hpp"

#include <algorithm>

namespace lc {

SinkHoldPolicy::SinkHoldPolicy(std::uint32_t unexpected_in_a_row)
    : threshold_(std::max<std::uint32_t>(1, unexpected_in_a_row)) {}

std::optional<SinkHoldCause> SinkHoldPolicy::observe(HttpResponseClass answer) {
  switch (answer) {
    case HttpResponseClass::kDelivered:
    case HttpResponseClass::kRecordsRefused:
      unexpected_in_a_row_ = 0;
      hold_.reset();
      break;
    case HttpResponseClass::kUnauthorized:
      hold_ = SinkHoldCause::kAuth;
      break;
    case HttpResponseClass::kUnexpected:
      if (unexpected_in_a_row_ < threshold_) ++unexpected_in_a_row_;
      if (unexpected_in_a_row_ >= threshold_) hold_ = SinkHoldCause::kMisconfiguration;
      break;
    case HttpResponseClass::kTransient:
    case HttpResponseClass::kTooLarge:
      break;
  }
  return hold_;
}

std::optional<SinkHoldCause> SinkHoldPolicy::observe_misconfiguration() {
  unexpected_in_a_row_ = threshold_;
  hold_ = SinkHoldCause::kMisconfiguration;
  return hold_;
}

}  // namespace lc
