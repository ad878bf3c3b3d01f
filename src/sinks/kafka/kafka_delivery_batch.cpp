#include "sinks/kafka/kafka_delivery_batch.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lc {

KafkaDeliveryBatch::KafkaDeliveryBatch(boost::asio::any_io_executor executor, std::size_t messages)
    : executor_(executor),
      errors_(messages, RD_KAFKA_RESP_ERR__IN_PROGRESS),  // never "delivered" before a report
      remaining_(messages),
      woken_(executor, std::chrono::steady_clock::time_point::max()) {
  tickets_.reserve(messages);
  for (std::size_t i = 0; i < messages; ++i) {
    tickets_.push_back(Ticket{this, static_cast<std::uint32_t>(i)});
  }
}

void KafkaDeliveryBatch::on_report(void* ticket, rd_kafka_resp_err_t error) {
  const auto* sent = static_cast<const Ticket*>(ticket);
  sent->batch->report(sent->index, error);
}

void KafkaDeliveryBatch::report(std::size_t index, rd_kafka_resp_err_t error) {
  std::lock_guard lock(mutex_);
  errors_[index] = error;
  if (--remaining_ > 0) return;
  boost::asio::post(executor_, [self = shared_from_this()] { self->woken_.cancel(); });
}

boost::asio::awaitable<void> KafkaDeliveryBatch::all_reported() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (remaining_ == 0) co_return;
    }
    boost::system::error_code woken;
    co_await woken_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, woken));
  }
}

}  // namespace lc
