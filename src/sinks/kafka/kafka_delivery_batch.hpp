#pragma once

#include <librdkafka/rdkafka.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

namespace lc {

// The delivery reports of one round of produced messages. librdkafka's thread records them
// (report) and, with the last one, wakes the write() waiting on its own executor: that thread
// never touches the pipeline. Every produced message gets exactly one report from librdkafka
// (success, failure, timeout or purge), so the wait always ends.
class KafkaDeliveryBatch : public std::enable_shared_from_this<KafkaDeliveryBatch> {
 public:
  KafkaDeliveryBatch(boost::asio::any_io_executor executor, std::size_t messages);

  // What to pass as the message's opaque (RD_KAFKA_V_OPAQUE) for message `index`.
  void* ticket(std::size_t index) { return &tickets_[index]; }
  // librdkafka's delivery report callback: the opaque a message was produced with.
  static void on_report(void* ticket, rd_kafka_resp_err_t error);
  // From any thread, once per message (a produce call that failed reports at once).
  void report(std::size_t index, rd_kafka_resp_err_t error);
  // Resumes when every message has its report.
  boost::asio::awaitable<void> all_reported();
  // After all_reported().
  rd_kafka_resp_err_t error(std::size_t index) const { return errors_[index]; }

 private:
  struct Ticket {
    KafkaDeliveryBatch* batch;
    std::uint32_t index;
  };

  boost::asio::any_io_executor executor_;
  std::vector<Ticket> tickets_;  // never resized: librdkafka holds pointers into it
  std::vector<rd_kafka_resp_err_t> errors_;
  std::mutex mutex_;
  std::size_t remaining_;
  boost::asio::steady_timer woken_;  // never expires: cancelled by the last report
};

}  // namespace lc
