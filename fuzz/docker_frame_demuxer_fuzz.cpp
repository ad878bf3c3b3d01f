// libFuzzer target for the API-mode log body decoder (frame demuxer, timestamp parsing, piece
// joining, TTY continuation). Input: [flags][split seed][body...].
//   flags bit 0: TTY body; bits 1-3: which max_line_bytes; bit 4: resume position set.
// Checks, beyond "no crash": the records do not depend on how the body is split across feed()
// calls, a record never exceeds the cap, and the output is bounded by the input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "inputs/docker/container_log_decoder.hpp"

namespace {

using lc::LogRecord;
using lc::docker_input::ContainerLogDecoder;

struct Outcome {
  std::vector<LogRecord> records;
  bool accepted = true;
  lc::docker_input::DecoderCounters counters;
};

bool same_records(const std::vector<LogRecord>& a, const std::vector<LogRecord>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].time != b[i].time || a[i].stream != b[i].stream ||
        a[i].index_at_time != b[i].index_at_time || a[i].truncated != b[i].truncated ||
        a[i].message != b[i].message) {
      return false;
    }
  }
  return true;
}

bool same_counters(const lc::docker_input::DecoderCounters& a,
                   const lc::docker_input::DecoderCounters& b) {
  return a.malformed_frames == b.malformed_frames && a.bad_timestamps == b.bad_timestamps &&
         a.truncated_lines == b.truncated_lines && a.skipped_records == b.skipped_records;
}

// split_seed 0 feeds the body whole; otherwise in pseudo-random chunks of 1..64 bytes.
Outcome decode(std::string_view body, bool tty, std::uint32_t cap, lc::ContainerPosition resume,
               std::uint32_t split_seed) {
  static const auto container = std::make_shared<const lc::ContainerMetadata>();
  ContainerLogDecoder decoder(container, tty, cap, resume);
  Outcome outcome;
  std::uint32_t state = split_seed;
  while (!body.empty() && outcome.accepted) {
    std::size_t chunk = body.size();
    if (split_seed != 0) {
      state = state * 1664525u + 1013904223u;
      chunk = std::min<std::size_t>(body.size(), 1 + (state >> 24) % 64);
    }
    outcome.accepted = decoder.feed(body.substr(0, chunk), outcome.records);
    body.remove_prefix(chunk);
  }
  decoder.finish(outcome.records);
  outcome.counters = decoder.counters();
  return outcome;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static constexpr std::uint32_t kCaps[8] = {1, 5, 31, 100, 16383, 16384, 16385, 1 << 20};
  const bool tty = (data[0] & 1) != 0;
  const std::uint32_t cap = kCaps[(data[0] >> 1) & 7];
  const lc::ContainerPosition resume =
      (data[0] & 16) != 0 ? lc::ContainerPosition::both({1'795'412'851'612'303'924, 1})
                          : lc::ContainerPosition{};
  const std::uint32_t split_seed = data[1] | 0x100u;
  const std::string_view body(reinterpret_cast<const char*>(data) + 2, size - 2);

  const Outcome whole = decode(body, tty, cap, resume, 0);
  const Outcome split = decode(body, tty, cap, resume, split_seed);
  if (whole.accepted != split.accepted || !same_records(whole.records, split.records) ||
      !same_counters(whole.counters, split.counters)) {
    __builtin_trap();  // the split changed the result
  }
  std::size_t message_bytes = 0;
  for (const LogRecord& record : whole.records) {
    if (record.message.size() > cap) __builtin_trap();
    message_bytes += record.message.size();
  }
  // Every message byte is a distinct body byte; every record needs at least "<ts> " in front.
  if (message_bytes > body.size() || whole.records.size() > body.size() / 8 + 1) {
    __builtin_trap();
  }
  return 0;
}
