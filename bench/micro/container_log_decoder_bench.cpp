// Micro-benchmarks of the API-mode hot path: body bytes -> LogRecords.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "inputs/docker/container_log_decoder.hpp"
#include "inputs/docker/timestamped_message.hpp"
#include "support/docker_frames.hpp"

namespace lc::docker_input {
namespace {

constexpr std::size_t kReadBytes = 32 * 1024;  // what one socket read typically hands over
const TimestampNs kStart = *parse_rfc3339("2026-11-23T05:47:31.612303924Z");

std::string frame(std::uint8_t stream, std::string_view payload) {
  return testing::docker_frame(stream, payload);
}

// `lines` messages of `line_bytes` content, stamped 2 µs apart, as dockerd sends them.
std::string make_body(bool tty, std::size_t lines, std::size_t line_bytes) {
  std::string body;
  std::string payload;
  for (std::size_t i = 0; i < lines; ++i) {
    payload.clear();
    append_rfc3339_nano(payload, kStart + static_cast<TimestampNs>(i) * 2000);
    payload += ' ';
    for (std::size_t j = 0; j < line_bytes; ++j) payload += static_cast<char>('a' + (i + j) % 26);
    payload += tty ? "\r\n" : "\n";
    body += tty ? payload : frame(static_cast<std::uint8_t>(1 + i % 8 / 7), payload);
  }
  return body;
}

void decode_in_reads(benchmark::State& state, bool tty, const std::string& body,
                     std::size_t lines) {
  auto container = std::make_shared<ContainerMetadata>();
  container->id = std::string(64, 'c');
  std::vector<LogRecord> records;
  records.reserve(kReadBytes);
  for (auto _ : state) {
    ContainerLogDecoder decoder(container, tty, 1024 * 1024, {});
    std::size_t produced = 0;
    for (std::size_t pos = 0; pos < body.size(); pos += kReadBytes) {
      records.clear();
      if (!decoder.feed(std::string_view(body).substr(pos, kReadBytes), records)) {
        state.SkipWithError("decoder rejected the body");
        return;
      }
      produced += records.size();
    }
    records.clear();
    decoder.finish(records);
    produced += records.size();
    if (produced != lines) state.SkipWithError("wrong record count");
    benchmark::DoNotOptimize(records.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}

// Args: content bytes per line. ~100-byte lines are the yardstick.
void BM_DecodeFramed(benchmark::State& state) {
  const auto line_bytes = static_cast<std::size_t>(state.range(0));
  const std::size_t lines = 8 * 1024 * 1024 / (line_bytes + 40);
  const std::string body = make_body(false, lines, line_bytes);
  decode_in_reads(state, false, body, lines);
}
BENCHMARK(BM_DecodeFramed)->Arg(68)->Arg(1000)->Arg(16000);

void BM_DecodeTty(benchmark::State& state) {
  const auto line_bytes = static_cast<std::size_t>(state.range(0));
  const std::size_t lines = 8 * 1024 * 1024 / (line_bytes + 40);
  const std::string body = make_body(true, lines, line_bytes);
  decode_in_reads(state, true, body, lines);
}
BENCHMARK(BM_DecodeTty)->Arg(68)->Arg(1000);

// Lines of 100 KiB: seven 16 KiB pieces joined per line.
void BM_DecodeFramedLongLines(benchmark::State& state) {
  constexpr std::size_t kLines = 80;
  constexpr std::size_t kPiece = ContainerLogDecoder::kDockerPieceBytes;
  const std::string line(100 * 1024, 'x');
  std::string body;
  for (std::size_t i = 0; i < kLines; ++i) {
    const std::string stamp = format_rfc3339_nano(kStart + static_cast<TimestampNs>(i)) + " ";
    for (std::size_t pos = 0; pos < line.size(); pos += kPiece) {
      std::string piece = stamp + line.substr(pos, kPiece);
      if (pos + kPiece >= line.size()) piece += '\n';
      body += frame(1, piece);
    }
  }
  decode_in_reads(state, false, body, kLines);
}
BENCHMARK(BM_DecodeFramedLongLines);

std::vector<std::string> timestamps_one_apart(TimestampNs step) {
  std::vector<std::string> stamps;
  for (int i = 0; i < 4096; ++i) stamps.push_back(format_rfc3339_nano(kStart + i * step));
  return stamps;
}

// Arg: nanoseconds between stamps (2 µs: many per second; 1 s: a new second each time).
void BM_ParseRfc3339(benchmark::State& state) {
  const auto stamps = timestamps_one_apart(state.range(0));
  for (auto _ : state) {
    for (const std::string& stamp : stamps) benchmark::DoNotOptimize(parse_rfc3339(stamp));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * stamps.size()));
}
BENCHMARK(BM_ParseRfc3339)->Arg(2000)->Arg(1'000'000'000);

void BM_TimestampPrefixParser(benchmark::State& state) {
  const auto stamps = timestamps_one_apart(state.range(0));
  TimestampPrefixParser parser;
  for (auto _ : state) {
    for (const std::string& stamp : stamps) benchmark::DoNotOptimize(parser.parse(stamp));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * stamps.size()));
}
BENCHMARK(BM_TimestampPrefixParser)->Arg(2000)->Arg(1'000'000'000);

}  // namespace
}  // namespace lc::docker_input
