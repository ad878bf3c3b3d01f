#pragma once

#include <optional>
#include <string_view>

#include "core/field_value.hpp"

namespace lc {

// The normalised levels, from least to most severe.
enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError, kFatal };
std::string_view level_name(LogLevel level);

// A level word in any case ("WARNING", "err", "Information", "crit", "panic"), or nullopt.
std::optional<LogLevel> level_of_word(std::string_view word);
// A field's value: a level word, or a number: syslog severities 0-7 (0-2 fatal, 3 error,
// 4 warn, 5-6 info, 7 debug) and Bunyan/Pino levels 10-60 (trace, debug, info, warn, error,
// fatal), as a number or as digits.
std::optional<LogLevel> level_of_value(const FieldValue& value);
// The level a line states, where lines state it, never a word the line merely uses ("no error
// found" has none): `level=warn` / `lvl=` / `severity=` / `loglevel=` pairs (lower-case keys),
// JSON `"level":"warn"`, a
// bracketed word (`[ERROR]`, `<warn>`), an upper-case word among the first five words
// (`2026-12-05 10:00:01 ERROR ...`, `WARN: ...`), or glog's `E1205 ...` prefix.
std::optional<LogLevel> level_in_message(std::string_view line);

}  // namespace lc
