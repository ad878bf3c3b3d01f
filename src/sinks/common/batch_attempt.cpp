#include "sinks/common/batch_attempt.hpp"

#include <fmt/format.h>

namespace lc {

BatchSlice BatchAttempt::begin(std::span<const LogRecord> batch) {
  progress_.begin(batch);
  places_ = progress_.pending();
  if (places_.size() == batch.size()) return {batch, places_};
  pending_records_.clear();
  for (const std::uint32_t place : places_) pending_records_.push_back(batch[place]);
  return {pending_records_, places_};
}

void BatchAttempt::delivered(std::span<const std::uint32_t> places) {
  for (const std::uint32_t place : places) {
    progress_.set(place, BatchProgress::State::kDelivered);
  }
}

void BatchAttempt::refused(const BatchSlice& slice, const std::string& reason) {
  for (const std::uint32_t place : slice.places) {
    progress_.set(place, BatchProgress::State::kRefused);
  }
  progress_.note_refusal(reason);
}

SinkWriteOutcome BatchAttempt::settle(std::span<const LogRecord> batch, std::string_view backend) {
  std::vector<std::uint32_t> refused = progress_.refused();
  const std::string reason = progress_.refusal_reason();
  progress_.settle();
  if (refused.empty()) return SinkWriteOutcome::delivered();
  std::string why =
      fmt::format("{} refused {} of {} records: {}", backend, refused.size(), batch.size(), reason);
  if (refused.size() == batch.size()) return SinkWriteOutcome::rejected(std::move(why));
  why += fmt::format(" (it accepted the other {})", batch.size() - refused.size());
  return SinkWriteOutcome::rejected_some(std::move(why), std::move(refused));
}

SinkWriteOutcome BatchAttempt::retry(const RetryNeeded& retry) const {
  SinkWriteOutcome outcome = retry.not_the_records
                                 ? SinkWriteOutcome::retry_not_the_records(retry.reason)
                                 : SinkWriteOutcome::retry(retry.reason);
  outcome.retry_after = retry.retry_after;
  outcome.delivered_records = progress_.delivered();
  return outcome;
}

}  // namespace lc
