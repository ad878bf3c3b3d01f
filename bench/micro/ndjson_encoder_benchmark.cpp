// Records/s and bytes/s of the file store's NDJSON encoder on ~100-byte lines: the sink's hot path.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "core/log_record.hpp"
#include "sinks/file_store/ndjson_record_encoder.hpp"

namespace {

std::vector<lc::LogRecord> make_records(std::size_t containers, std::size_t count,
                                        bool with_escapes) {
  std::vector<lc::ContainerMetadataPtr> metas;
  for (std::size_t c = 0; c < containers; ++c) {
    auto meta = std::make_shared<lc::ContainerMetadata>();
    meta->id = std::string(63, 'a') + static_cast<char>('0' + c % 10);
    meta->name = "shop-web-" + std::to_string(c);
    meta->image = "registry.local/shop/web:1.4.2";
    meta->labels = {{"com.docker.compose.project", "shop"},
                    {"com.docker.compose.service", "web"},
                    {"com.docker.compose.version", "2.20.2"},
                    {"maintainer", "platform@example.com"}};
    meta->compose_project = "shop";
    meta->compose_service = "web";
    metas.push_back(std::move(meta));
  }
  std::vector<lc::LogRecord> records(count);
  for (std::size_t i = 0; i < count; ++i) {
    records[i].time = 1'700'000'000'000'000'000 + static_cast<lc::TimestampNs>(i) * 1000;
    records[i].container = metas[i % containers];
    records[i].message = with_escapes
                             ? "GET /api/v1/items?id=" + std::to_string(i) +
                                   " \"Mozilla/5.0\"\t200 1532 0.004s user=\"alice\" path=C:\\tmp"
                             : "GET /api/v1/items?id=" + std::to_string(i) +
                                   " HTTP/1.1 200 1532 0.004s ua=Mozilla/5.0 user=alice ok";
    records[i].message.resize(100, ' ');
  }
  return records;
}

void encode(benchmark::State& state, bool with_escapes) {
  const auto records = make_records(static_cast<std::size_t>(state.range(0)), 4096, with_escapes);
  lc::NdjsonRecordEncoder encoder;
  std::string out;
  std::size_t bytes = 0;
  for (auto _ : state) {
    out.clear();
    for (const auto& record : records) encoder.append(out, record);
    bytes += out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * records.size()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_NdjsonEncodePlain(benchmark::State& state) { encode(state, false); }
void BM_NdjsonEncodeEscaped(benchmark::State& state) { encode(state, true); }

}  // namespace

// Argument: number of distinct containers the records interleave.
BENCHMARK(BM_NdjsonEncodePlain)->Arg(1)->Arg(64);
BENCHMARK(BM_NdjsonEncodeEscaped)->Arg(1)->Arg(64);
