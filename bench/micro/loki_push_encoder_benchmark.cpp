// Records/s and bytes/s of the Loki sink's encoder: 4096 ~100-byte records from 20 containers
// grouped into streams, sorted, serialized and compressed as one push body (the sink's hot path
// apart from the network). Bytes counted are the records' messages.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "core/log_record.hpp"
#include "sinks/loki/loki_push_encoder.hpp"

namespace {

constexpr std::size_t kContainers = 20;
constexpr std::size_t kRecords = 4096;

std::vector<lc::LogRecord> make_records() {
  std::vector<lc::ContainerMetadataPtr> containers;
  for (std::size_t c = 0; c < kContainers; ++c) {
    auto meta = std::make_shared<lc::ContainerMetadata>();
    meta->id = std::string(62, 'a') + std::to_string(10 + c);
    meta->name = "shop-web-" + std::to_string(c);
    meta->image = "registry.local/shop/web:1.4.2";
    meta->labels = {{"com.docker.compose.project", "shop"},
                    {"com.docker.compose.service", "web"},
                    {"com.example.app", "checkout"}};
    meta->compose_project = "shop";
    meta->compose_service = "web";
    containers.push_back(std::move(meta));
  }
  std::vector<lc::LogRecord> records(kRecords);
  for (std::size_t i = 0; i < kRecords; ++i) {
    records[i].time = 1'700'000'000'000'000'000 + static_cast<lc::TimestampNs>(i) * 1000;
    records[i].stream = i % 7 == 0 ? lc::LogStream::kStderr : lc::LogStream::kStdout;
    records[i].container = containers[i % kContainers];
    records[i].message =
        "GET /api/v1/items?id=" + std::to_string(i * 7919 % 100000) +
        " HTTP/1.1 200 1532 0.004s ua=Mozilla/5.0 user=alice trace=" + std::to_string(i * 104729);
    records[i].message.resize(100, ' ');
  }
  return records;
}

void encode(benchmark::State& state, lc::LokiSinkOptions::Format format, bool gzip) {
  const auto records = make_records();
  lc::LokiSinkOptions config;
  config.format = format;
  config.gzip = gzip;
  lc::LokiPushEncoder encoder(config, "node-1");
  std::size_t message_bytes = 0;
  for (const auto& record : records) message_bytes += record.message.size();
  std::size_t body_bytes = 0;
  for (auto _ : state) {
    const lc::LokiPushBody body = encoder.encode(records);
    body_bytes = body.data.size();
    benchmark::DoNotOptimize(body.data.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * message_bytes));
  state.counters["body_bytes"] = static_cast<double>(body_bytes);
}

void BM_LokiEncodeProtobufSnappy(benchmark::State& state) {
  encode(state, lc::LokiSinkOptions::Format::kProtobuf, false);
}
void BM_LokiEncodeJson(benchmark::State& state) {
  encode(state, lc::LokiSinkOptions::Format::kJson, false);
}
void BM_LokiEncodeJsonGzip(benchmark::State& state) {
  encode(state, lc::LokiSinkOptions::Format::kJson, true);
}

}  // namespace

BENCHMARK(BM_LokiEncodeProtobufSnappy);
BENCHMARK(BM_LokiEncodeJson);
BENCHMARK(BM_LokiEncodeJsonGzip);
