// Records/s of each processor on ~190-byte lines, one batch of 256 records per iteration, as
// the inputs hand them over: the parsers (json, logfmt, regex, timestamps), redact with every
// preset (on lines without and with secrets), and fields.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <vector>

#include "config/config_loader.hpp"
#include "metrics/metrics_registry.hpp"
#include "processors/processor_chain.hpp"

namespace {

constexpr const char* kJson =
    R"({"time":"2026-12-05T10:00:01.123Z","level":"info","msg":"request handled","method":"GET",)"
    R"("path":"/api/v1/items/4711","status":200,"duration_ms":4.2,"trace_id":"ab12cd34ef56ab12"})";
constexpr const char* kLogfmt =
    R"(time=2026-12-05T10:00:01.123Z level=info msg="request handled" method=GET )"
    R"(path=/api/v1/items/4711 status=200 duration_ms=4.2 trace_id=ab12cd34ef56ab12)";
constexpr const char* kAccess =
    R"(10.0.0.7 - alice [05/Dec/2026:10:00:01 +0000] "GET /api/v1/items?id=4711 HTTP/1.1" 200 )"
    R"(1532 "https://example.com/shop/cart" "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0")";
constexpr const char* kSecrets =
    R"(login user=bob@example.com password=hunter2 Authorization: Bearer abc.def-123456 )"
    R"(card 4111 1111 1111 1111 from 10.0.0.7 key AKIAIOSFODNN7EXAMPLE)";

void run_processor(benchmark::State& state, const char* processor_yaml, const char* line) {
  const lc::AgentConfig config =
      lc::parse_config_text(std::string("processors:\n  - ") + processor_yaml + "\n", "bench.yaml");
  lc::MetricsRegistry metrics;
  lc::ProcessorChain chain(config.processors, metrics);
  std::vector<lc::LogRecord> batch;
  for (auto _ : state) {
    state.PauseTiming();
    batch.assign(256, lc::LogRecord{});
    for (lc::LogRecord& record : batch) record.message = line;
    state.ResumeTiming();
    chain.process(batch);
    benchmark::DoNotOptimize(batch.data());
  }
  state.SetItemsProcessed(state.iterations() * 256);
  state.SetBytesProcessed(state.iterations() * 256 * static_cast<std::int64_t>(std::strlen(line)));
}

void BM_ParseJson(benchmark::State& state) { run_processor(state, "{type: parse_json}", kJson); }
void BM_ParseLogfmt(benchmark::State& state) {
  run_processor(state, "{type: parse_logfmt}", kLogfmt);
}
void BM_ParseRegexCombined(benchmark::State& state) {
  run_processor(state, "{type: parse_regex, preset: combined}", kAccess);
}
void BM_RedactAllPresetsNoSecret(benchmark::State& state) {
  run_processor(state, "{type: redact, presets: [all]}", kAccess);
}
void BM_RedactAllPresetsSecrets(benchmark::State& state) {
  run_processor(state, "{type: redact, presets: [all]}", kSecrets);
}
void BM_FieldsSetRename(benchmark::State& state) {
  run_processor(state, "{type: fields, set: {env: prod}, rename: {a: b}}", kAccess);
}

// The time alone as the message: parse_timestamp's own cost, without a JSON parse before it.
void BM_ParseTimestampRfc3339(benchmark::State& state) {
  run_processor(state, "{type: parse_timestamp, source: .message}", "2026-12-05T10:00:01.123Z");
}
void BM_ParseTimestampAccessLogInBerlin(benchmark::State& state) {
  run_processor(state,
                "{type: parse_timestamp, source: .message, formats: ['%d/%b/%Y:%H:%M:%S'], "
                "timezone: Europe/Berlin}",
                "05/Dec/2026:10:00:01");
}

BENCHMARK(BM_ParseJson);
BENCHMARK(BM_ParseTimestampRfc3339);
BENCHMARK(BM_ParseTimestampAccessLogInBerlin);
BENCHMARK(BM_ParseLogfmt);
BENCHMARK(BM_ParseRegexCombined);
BENCHMARK(BM_RedactAllPresetsNoSecret);
BENCHMARK(BM_RedactAllPresetsSecrets);
BENCHMARK(BM_FieldsSetRename);

}  // namespace
