#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>

#include "pipeline/delivery_receipt.hpp"

namespace lc {

// Hands chunks' receipts to the checkpoint tracker in the order the chunks were submitted,
// whatever order the sinks finish them in. With sinks that all block, chunks finish in order
// anyway (each lane is first in, first out); a sink that drops when full takes only some
// chunks, so a later chunk can finish before an earlier one that sink still holds, and its
// position must not move the checkpoint past the earlier chunk's records.
//
// Finished chunks waiting behind an unfinished one are merged (latest position per source,
// records summed), so what waits stays small however long a sink is down.
// Thread-safe; the acknowledge callback runs under this object's lock, in order.
class AcknowledgementOrder {
 public:
  using Acknowledge = std::function<void(const DeliveryReceipt&)>;
  explicit AcknowledgementOrder(Acknowledge acknowledge) : acknowledge_(std::move(acknowledge)) {}

  // A chunk was submitted: returns its place in the order.
  std::uint64_t enqueue(DeliveryReceipt receipt);
  // Every sink is done with the chunk at this place: acknowledges what is now in order.
  void complete(std::uint64_t place);
  // Receipts not yet acknowledged (finished ones merged): for tests and metrics.
  std::size_t waiting() const;

  // Appends `later`'s sources to `earlier`, as if both had been one chunk.
  static void merge_into(DeliveryReceipt& earlier, const DeliveryReceipt& later);

 private:
  struct Entry {
    DeliveryReceipt receipt;
    bool finished = false;
  };
  Acknowledge acknowledge_;
  mutable std::mutex mutex_;
  std::map<std::uint64_t, Entry> entries_;
  std::uint64_t next_place_ = 0;
};

}  // namespace lc
