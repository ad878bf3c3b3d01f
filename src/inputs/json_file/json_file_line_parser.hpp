#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/log_record.hpp"
#include "core/timestamp.hpp"

namespace lc::json_file {

// Why a json-file line could not be read as {"log","stream","time"}.
enum class LineError : std::uint8_t {
  kNone,
  kInvalidJson,  // not one JSON object, or trailing bytes after it
  kInvalidUtf8,  // raw bytes, or an escaped surrogate, that are not valid UTF-8
  kMissingLog,   // no "log" string
  kBadStream,    // "stream" missing or not "stdout"/"stderr"
  kBadTime,      // "time" missing or not RFC 3339
  kTooLong,      // longer than the parser's cap: not parsed at all
};

const char* to_string(LineError error);

// One json-file entry. `log` is unescaped, still with dockerd's trailing "\n" when the entry
// ends a line, and points into the parser: valid until its next parse().
struct JsonFileLine {
  std::string_view log;
  LogStream stream = LogStream::kStdout;
  TimestampNs time = 0;
};

// Parses json-file lines: dockerd's own shape by hand (read_dockerd_line_shape), anything else
// with simdjson On-Demand. One instance serves every reader of a thread: the simdjson parser
// and the buffers grow to the longest line seen and are reused, so a line costs no allocation
// here.
class JsonFileLineParser {
 public:
  // A dockerd piece is at most 16 KiB of text, which JSON escaping can grow to ~100 KiB:
  // longer lines are not dockerd's and are refused unparsed (bounds the parser's memory).
  static constexpr std::size_t kDefaultMaxLineBytes = 1024 * 1024;

  explicit JsonFileLineParser(std::size_t max_line_bytes = kDefaultMaxLineBytes);

  // Bytes that must be readable after a line passed with `padded` (their content is ignored).
  static constexpr std::size_t kPadding = simdjson::SIMDJSON_PADDING;

  // `line` is one line of the file without its '\n'. On kNone `out` holds the entry.
  // `padded`: at least kPadding readable bytes follow the line in memory, so it is parsed in
  // place; otherwise it is first copied into a padded buffer.
  LineError parse(std::string_view line, JsonFileLine& out, bool padded = false);
  // The same with simdjson only, whatever the line's shape: what parse() must agree with
  // (tests and the fuzz target compare the two).
  LineError parse_in_full(std::string_view line, JsonFileLine& out, bool padded = false);

  std::size_t max_line_bytes() const { return max_line_bytes_; }

 private:
  void reserve(std::size_t bytes);

  const std::size_t max_line_bytes_;
  simdjson::ondemand::parser parser_;
  Rfc3339Parser times_;             // consecutive lines share their second
  std::unique_ptr<char[]> padded_;  // line copy followed by SIMDJSON_PADDING bytes
  std::string log_;                 // the unescaped text of a line of dockerd's shape
  std::size_t padded_capacity_ = 0;
};

}  // namespace lc::json_file
