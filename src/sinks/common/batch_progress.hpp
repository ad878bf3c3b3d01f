#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/log_record.hpp"

namespace lc {

// What became of each record of the batch being written, kept across the pipeline's retries of
// that same batch: a retry sends only what the backend has not acknowledged (or refused) yet, so a
// partial failure repeats nothing. A batch is recognised by its records (where they are, their
// sources, positions and sizes), never taken for another.
class BatchProgress {
 public:
  enum class State : std::uint8_t { kPending, kDelivered, kRefused };

  // Starts `batch`, or continues it when it is the batch of the last unsettled write. Returns
  // true when it continues one.
  bool begin(std::span<const LogRecord> batch);
  // The batch went out (delivered, or rejected in part): the next one starts afresh.
  void settle() { states_.clear(); }

  std::vector<std::uint32_t> pending() const { return places_in(State::kPending); }
  std::vector<std::uint32_t> delivered() const { return places_in(State::kDelivered); }
  std::vector<std::uint32_t> refused() const { return places_in(State::kRefused); }
  State state(std::uint32_t index) const { return states_[index]; }
  void set(std::uint32_t index, State state) { states_[index] = state; }
  // Why the first record was refused (a later refusal keeps it).
  const std::string& refusal_reason() const { return refusal_reason_; }
  void note_refusal(const std::string& reason) {
    if (refusal_reason_.empty()) refusal_reason_ = reason;
  }

 private:
  std::vector<std::uint32_t> places_in(State state) const;
  static std::uint64_t fingerprint(std::span<const LogRecord> batch);

  std::uint64_t fingerprint_ = 0;
  std::vector<State> states_;
  std::string refusal_reason_;
};

}  // namespace lc
