#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/log_record.hpp"
#include "sinks/common/batch_progress.hpp"
#include "sinks/sink.hpp"

namespace lc {

// Records to send in one request and their places in the batch being written.
struct BatchSlice {
  std::span<const LogRecord> records;
  std::span<const std::uint32_t> places;

  BatchSlice first(std::size_t count) const { return {records.first(count), places.first(count)}; }
  BatchSlice from(std::size_t start) const {
    return {records.subspan(start), places.subspan(start)};
  }
};

// Why a request (or one of a split's halves) must be retried; an empty `reason`: it settled,
// each of its records delivered or refused.
struct RetryNeeded {
  std::string reason;
  bool not_the_records = false;  // the answer judges no record
  std::chrono::milliseconds retry_after{0};
};

// One write() of an HTTP sink that splits a refused request to find the records the backend
// refuses alone (OTLP, HTTP): which records are still to send, across the pipeline's retries of
// the same batch (a split's delivered half is not sent twice), and the outcome once every
// record is delivered or refused.
class BatchAttempt {
 public:
  // The records of `batch` still to send: all of a new batch, the rest of a retried one.
  BatchSlice begin(std::span<const LogRecord> batch);
  void delivered(std::span<const std::uint32_t> places);
  void refused(const BatchSlice& slice, const std::string& reason);
  // Every record settled: delivered, or rejected (in part) with `backend` named in the reason.
  SinkWriteOutcome settle(std::span<const LogRecord> batch, std::string_view backend);
  // The pipeline's retry of the batch, with the wait the backend asked for and the records
  // delivered so far.
  SinkWriteOutcome retry(const RetryNeeded& retry) const;

 private:
  BatchProgress progress_;
  std::vector<std::uint32_t> places_;
  std::vector<LogRecord> pending_records_;  // a retried batch's records still to send
};

}  // namespace lc
