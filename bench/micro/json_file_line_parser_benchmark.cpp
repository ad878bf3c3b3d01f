// Micro-benchmarks of the json-file fast path: one json-file line -> {log, stream, time}, and a
// whole file -> LogRecords through ContainerLogFileReader (pread, split, parse, record).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "inputs/json_file/container_log_file_reader.hpp"
#include "inputs/json_file/json_file_line_parser.hpp"

namespace lc::json_file {
namespace {

const TimestampNs kStart = *parse_rfc3339("2026-11-23T05:47:31.612303924Z");

// `count` json-file lines of ~100 bytes (a ~30-byte message, as dockerd writes them), each
// with its '\n'.
std::vector<std::string> make_lines(std::size_t count, std::size_t message_bytes) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < count; ++i) {
    std::string line = "{\"log\":\"";
    for (std::size_t j = 0; j < message_bytes; ++j) line += static_cast<char>('a' + (i + j) % 26);
    line += "\\n\",\"stream\":\"";
    line += i % 5 == 0 ? "stderr" : "stdout";
    line += "\",\"time\":\"";
    append_rfc3339_nano(line, kStart + static_cast<TimestampNs>(i) * 2000);
    line += "\"}\n";
    lines.push_back(std::move(line));
  }
  return lines;
}

void BM_ParseLine(benchmark::State& state) {
  const auto lines = make_lines(1024, static_cast<std::size_t>(state.range(0)));
  JsonFileLineParser parser;
  JsonFileLine out;
  std::size_t bytes = 0;
  std::size_t i = 0;
  for (auto _ : state) {
    const std::string& line = lines[i++ % lines.size()];
    const LineError error = parser.parse(std::string_view(line).substr(0, line.size() - 1), out);
    benchmark::DoNotOptimize(error);
    benchmark::DoNotOptimize(out.log.data());
    bytes += line.size();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  state.SetItemsProcessed(state.iterations());
  state.counters["line_bytes"] = static_cast<double>(lines[0].size());
}
BENCHMARK(BM_ParseLine)->Arg(30)->Arg(200)->Arg(2000);

// A ~190-byte JSON message (8 keys) as dockerd writes it: each of its quotes escaped, which the
// reader unescapes.
void BM_ParseJsonMessageLine(benchmark::State& state) {
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < 1024; ++i) {
    const std::string message =
        R"({"ts":"2026-12-06T20:40:14.123Z","level":"info","service":"checkout","request_id":"r-)" +
        std::to_string(100000 + i) +
        R"(","method":"POST","path":"/api/v1/orders","status":201,"duration_ms":12.5})";
    std::string line = "{\"log\":\"";
    for (const char c : message) {
      if (c == '"') line += '\\';
      line += c;
    }
    line += "\\n\",\"stream\":\"stdout\",\"time\":\"";
    append_rfc3339_nano(line, kStart + static_cast<TimestampNs>(i) * 2000);
    line += "\"}";
    lines.push_back(std::move(line));
  }
  JsonFileLineParser parser;
  JsonFileLine out;
  std::size_t i = 0;
  for (auto _ : state) {
    const LineError error = parser.parse(lines[i++ % lines.size()], out);
    benchmark::DoNotOptimize(error);
    benchmark::DoNotOptimize(out.log.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["line_bytes"] = static_cast<double>(lines[0].size());
}
BENCHMARK(BM_ParseJsonMessageLine);

// The whole reader on a 100k-line file in the page cache: what one core delivers in file mode.
void BM_ReadFile(benchmark::State& state) {
  const auto lines = make_lines(100000, 30);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("lc-bench-json-" + std::to_string(::getpid())))
          .string();
  std::size_t file_bytes = 0;
  {
    std::ofstream file(path, std::ios::binary);
    for (const auto& line : lines) {
      file << line;
      file_bytes += line.size();
    }
  }
  auto container = std::make_shared<const ContainerMetadata>();
  JsonFileLineParser parser;
  std::vector<LogRecord> records;
  records.reserve(lines.size());
  for (auto _ : state) {
    ContainerLogFileReader reader(container, path, parser);
    records.clear();
    while (!reader.read_available(records, 1 << 20)) {
    }
    if (records.size() != lines.size()) state.SkipWithError("lines lost");
  }
  std::filesystem::remove(path);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * file_bytes));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines.size()));
}
BENCHMARK(BM_ReadFile)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace lc::json_file
