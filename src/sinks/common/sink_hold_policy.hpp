#pragma once

#include <cstdint>
#include <optional>

#include "sinks/common/http_response_class.hpp"
#include "sinks/sink.hpp"

namespace lc {

// Decides, answer by answer, when an HTTP sink holds (SinkWriteOutcome::kHold: records kept and
// retried, never dead-lettered): at once on an authorization refusal, and after
// `unexpected_in_a_row` answers in a row that are neither a delivery nor the backend's own
// record validation (a wrong URL, a proxy's error page): a misconfiguration, not bad records.
// A delivery or a validation refusal (the backend is there and judged the records) ends the
// hold and the count; a transient failure or a 413 changes neither.
class SinkHoldPolicy {
 public:
  static constexpr std::uint32_t kDefaultUnexpectedInARow = 5;

  explicit SinkHoldPolicy(std::uint32_t unexpected_in_a_row = kDefaultUnexpectedInARow);

  // Takes the next answer; returns why the sink holds after it, or nothing.
  std::optional<SinkHoldCause> observe(HttpResponseClass answer);
  // An answer that is a misconfiguration from the first time (OTLP's 404: no logs receiver
  // there): the sink holds at once, until a delivery or a validation refusal.
  std::optional<SinkHoldCause> observe_misconfiguration();
  std::optional<SinkHoldCause> hold() const { return hold_; }
  std::uint32_t unexpected_in_a_row() const { return unexpected_in_a_row_; }
  std::uint32_t threshold() const { return threshold_; }

 private:
  const std::uint32_t threshold_;
  std::uint32_t unexpected_in_a_row_ = 0;
  std::optional<SinkHoldCause> hold_;
};

}  // namespace lc
