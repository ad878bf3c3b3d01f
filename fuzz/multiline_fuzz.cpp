// libFuzzer target for multi-line joining. The input's first byte picks the presets, the
// limits and whether lines split on a pause; the rest is lines ("\n"), each line's first byte
// its stream (odd: stderr) and gap. Checks, beyond "no crash": per stream, the records' lines
// are the input lines, each once and in order (none made up, lost or reordered; only a line
// longer than max_bytes is cut), no record exceeds max_bytes or max_lines, and every record
// comes out by the end.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "processors/multiline/multiline_joiner.hpp"

namespace {

using lc::LogRecord;
using lc::multiline::JoinLimits;
using lc::multiline::MultilineJoiner;
using lc::multiline::MultilineRules;
using lc::multiline::RuleChoice;

const std::shared_ptr<const MultilineRules>& rules(unsigned choice) {
  static const auto make = [](std::vector<std::string> presets, std::string start,
                              std::string continue_pattern) {
    RuleChoice rule_choice{std::move(presets), std::move(start), std::move(continue_pattern)};
    return MultilineRules::compile(rule_choice);
  };
  static const std::vector<std::shared_ptr<const MultilineRules>> all = {
      make({"java"}, "", ""),
      make({"python", "go"}, "", ""),
      make({"ruby", "dotnet", "java"}, "", ""),
      make({}, R"(^\d{4}-)", ""),
      make({}, "", R"(^\s)"),
      make({"go"}, R"(^E )", R"(^  )"),
  };
  return all[choice % all.size()];
}

std::vector<std::string> lines_of(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t begin = 0;
  for (std::size_t end; (end = text.find('\n', begin)) != std::string_view::npos; begin = end + 1) {
    lines.emplace_back(text.substr(begin, end - begin));
  }
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned control = data[0];
  JoinLimits limits;
  limits.max_lines = 1 + (control >> 3 & 7);
  limits.max_bytes = 8 + 40 * (control >> 6);
  limits.split_on_time_gap = (control & 1) != 0;
  limits.flush_timeout = std::chrono::milliseconds(10);
  const auto& chosen = rules(((control >> 1) & 3) ^ (control >> 5));
  MultilineJoiner out_joiner(chosen, limits), err_joiner(chosen, limits);
  std::vector<std::string> input[2];
  std::vector<LogRecord> records;
  lc::TimestampNs time = 1'000'000'000;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (std::string& line : lines_of(text)) {
    if (line.empty()) continue;
    const bool err = (static_cast<unsigned char>(line[0]) & 1) != 0;
    time += (static_cast<unsigned char>(line[0]) & 2) != 0 ? 50'000'000 : 1'000;
    line.erase(0, 1);
    input[err].push_back(line);
    LogRecord record;
    record.time = time;
    record.stream = err ? lc::LogStream::kStderr : lc::LogStream::kStdout;
    record.message = line;
    (err ? err_joiner : out_joiner).push(std::move(record), MultilineJoiner::Clock::now(), records);
  }
  out_joiner.flush(records);
  err_joiner.flush(records);
  if (out_joiner.has_pending() || err_joiner.has_pending()) std::abort();
  // Each stream's records hold its lines, each once, in order; only a record of one line
  // longer than max_bytes is cut (flagged truncated).
  std::size_t next[2] = {0, 0};
  for (const LogRecord& record : records) {
    const bool err = record.stream == lc::LogStream::kStderr;
    if (record.message.size() > limits.max_bytes) std::abort();
    const std::vector<std::string> parts = lines_of(record.message + "\n");
    if (parts.empty() || parts.size() > limits.max_lines) std::abort();
    for (const std::string& part : parts) {
      if (next[err] >= input[err].size()) std::abort();
      const std::string& line = input[err][next[err]++];
      const bool cut = record.truncated && parts.size() == 1 && line.size() > limits.max_bytes &&
                       line.starts_with(part);
      if (part != line && !cut) std::abort();
    }
  }
  if (next[0] != input[0].size() || next[1] != input[1].size()) std::abort();
  return 0;
}
