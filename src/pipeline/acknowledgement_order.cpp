#include "pipeline/acknowledgement_order.hpp"

#include <iterator>

namespace lc {

std::uint64_t AcknowledgementOrder::enqueue(DeliveryReceipt receipt) {
  std::lock_guard lock(mutex_);
  const std::uint64_t place = next_place_++;
  entries_.emplace_hint(entries_.end(), place, Entry{std::move(receipt), false});
  return place;
}

void AcknowledgementOrder::complete(std::uint64_t place) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(place);
  if (it == entries_.end()) return;
  it->second.finished = true;
  // Merge with finished neighbours: an earlier one takes this one in, this one takes a later.
  if (it != entries_.begin()) {
    if (auto before = std::prev(it); before->second.finished) {
      merge_into(before->second.receipt, it->second.receipt);
      entries_.erase(it);
      it = before;
    }
  }
  if (auto after = std::next(it); after != entries_.end() && after->second.finished) {
    merge_into(it->second.receipt, after->second.receipt);
    entries_.erase(after);
  }
  // Everything finished at the head is in order now.
  while (!entries_.empty() && entries_.begin()->second.finished) {
    acknowledge_(entries_.begin()->second.receipt);
    entries_.erase(entries_.begin());
  }
}

std::size_t AcknowledgementOrder::waiting() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

void AcknowledgementOrder::merge_into(DeliveryReceipt& earlier, const DeliveryReceipt& later) {
  for (const DeliveryReceipt::Source& source : later.sources) {
    DeliveryReceipt::Source* same = nullptr;
    for (auto& candidate : earlier.sources) {
      if (candidate.key == source.key) same = &candidate;
    }
    if (same == nullptr) {
      earlier.sources.push_back(source);
      continue;
    }
    same->position = ContainerPosition::later(same->position, source.position);
    same->file = source.file;  // the later record's place in its file
    same->records += source.records;
  }
}

}  // namespace lc
