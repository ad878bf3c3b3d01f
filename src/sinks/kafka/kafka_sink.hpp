#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/record_template.hpp"
#include "sinks/common/batch_progress.hpp"
#include "sinks/file_store/ndjson_record_encoder.hpp"
#include "sinks/kafka/kafka_delivery_error.hpp"
#include "sinks/kafka/kafka_sink_metrics.hpp"
#include "sinks/kafka/kafka_sink_options.hpp"
#include "sinks/sink.hpp"

namespace lc {

class HealthRegistry;
class KafkaProducer;
class MetricsRegistry;

// Produces records to Kafka through librdkafka and counts a batch delivered only when every
// message's delivery report is a success. Failed reports are classified: records Kafka can
// never take are dead-lettered with the reason, setup errors hold the sink, transient ones are
// retried by the pipeline, which produces only what was not acknowledged yet (and, to keep a
// key's order, its records after the first that failed). A producer librdkafka declared
// failed for good (an idempotence fatal error) is replaced.
class KafkaSink : public Sink {
 public:
  // `queue_bytes`: the pipeline's batch bound (librdkafka's queue holds one batch at most).
  // `health` (may be null): where the producer says whether a broker is reachable.
  KafkaSink(std::string name, const KafkaSinkOptions& options, std::uint64_t queue_bytes,
            MetricsRegistry& metrics, std::string host, HealthRegistry* health = nullptr);
  ~KafkaSink() override;

  void start() override;
  void stop(std::chrono::steady_clock::time_point deadline) override;
  const std::string& name() const override { return name_; }
  boost::asio::awaitable<SinkWriteOutcome> write(std::span<const LogRecord> batch) override;

  // librdkafka's producer, through which tests inject faults (rd_kafka_test_fatal_error).
  rd_kafka_t* librdkafka_handle();

 private:
  // One round's results: per message of `indices`, its error and, for refusals made here
  // (an invalid topic name), the reason.
  struct Round {
    std::vector<rd_kafka_resp_err_t> errors;
    std::vector<std::string> local_reasons;
    std::uint64_t bytes_delivered = 0;
  };
  boost::asio::awaitable<Round> produce_round(std::span<const LogRecord> batch,
                                              const std::vector<std::uint32_t>& indices);
  // Records the round's reports in progress_ and says what the failures call for (nullopt:
  // none failed but for refused records).
  std::optional<SinkWriteOutcome> judge(std::span<const LogRecord> batch,
                                        const std::vector<std::uint32_t>& indices,
                                        const Round& round);
  // A key's records after its first failed one are produced again with it (order per key).
  void keep_key_order(std::span<const LogRecord> batch, const std::vector<std::uint32_t>& indices,
                      const Round& round);
  std::string key_of(const LogRecord& record);
  void renew_producer_after_fatal_error();
  // The topic when its template is constant, else empty (see KafkaProducer::start()).
  std::string known_topic() const;
  // The round's message values in values_ (per place of `indices`): encoded into arena_, or the
  // messages themselves when raw. librdkafka points at them instead of copying each one (that
  // copy cost ~6 % of the agent's CPU): they stay put until the round's last report.
  void encode_values(std::span<const LogRecord> batch, const std::vector<std::uint32_t>& indices);
  // Produces one record; returns librdkafka's refusal (QUEUE_FULL is waited out by the caller).
  rd_kafka_resp_err_t produce(const LogRecord& record, std::string_view value, void* ticket,
                              std::string& local_reason);

  std::string name_;
  KafkaSinkOptions options_;
  KafkaSinkMetrics metrics_;
  std::string host_;
  RecordTemplate topic_;
  RecordTemplate key_;
  std::vector<std::pair<std::string, RecordTemplate>> headers_;
  NdjsonRecordEncoder encoder_;
  // Declared before producer_, which goes first: librdkafka may point into them until then.
  std::string arena_;
  std::vector<std::string_view> values_;
  std::string topic_name_;
  std::string key_text_;
  std::string header_text_;
  std::uint64_t queue_bytes_;
  HealthRegistry* health_;
  BatchProgress progress_;
  std::unique_ptr<KafkaProducer> producer_;
};

}  // namespace lc
