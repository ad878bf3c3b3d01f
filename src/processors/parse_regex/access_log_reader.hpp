#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace lc {

// The `common` and `combined` presets (Common and Combined Log Format) read by hand, with
// exactly the captures their RE2 patterns give (tests/processors/parse_regex compares both,
// and fuzz/parse_regex_fuzz.cpp on every input): access logs are the most common parse, and
// RE2 extracts these eleven captures by backtracking over a bit map (its one-pass matcher
// takes five at most), 3 µs a line against 0.2 here.
class AccessLogReader {
 public:
  enum class Format { kCommon, kCombined };
  // In the patterns' order; a capture that took no part is nullopt.
  enum Capture {
    kClient,
    kIdent,
    kUser,
    kTime,
    kMethod,
    kPath,
    kProtocol,
    kRequest,
    kStatus,
    kSize,
    kReferer,
    kAgent,
    kCaptureCount
  };
  static constexpr std::array<std::string_view, kCaptureCount> kNames = {
      "client",   "ident",   "user",   "time", "method",  "path",
      "protocol", "request", "status", "size", "referer", "agent"};
  using Captures = std::array<std::optional<std::string_view>, kCaptureCount>;

  // The format whose preset pattern `pattern` is, if it is one of these.
  static std::optional<Format> format_of(std::string_view pattern);

  // Reads `text` as the pattern would (anchored at the start, anything may follow); false
  // when the pattern would not match. `text` must be valid UTF-8 (RE2's classes match no
  // invalid byte: the caller leaves other text to RE2).
  static bool read(Format format, std::string_view text, Captures& out);
};

}  // namespace lc
