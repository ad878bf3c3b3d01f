#pragma once

#include <string>
#include <string_view>

#include "core/log_record.hpp"

namespace lc::json_file {

// dockerd's json-file logger writes every line in one shape, keys in this order and no spaces:
//   {"log":"<escaped text>","stream":"stdout","time":"2026-11-23T05:47:31.612303924Z"}
// Reading that shape needs no general JSON parser: one pass over the log text, which is copied
// unescaped into `log`. This is the hot path of json-file mode (a general parse of a 100-byte
// line cost ~60 ns, more than reading, encoding and writing it together), hence hand-written.
//
// Returns true when `line` has exactly that shape and its text is valid JSON and valid UTF-8;
// `time` then points into `line`: what is between the quotes, unchecked (the caller parses it
// as RFC 3339, which refuses quotes and escapes, and parses the line in full when it fails).
// Returns false for anything else (other keys such as "attrs", another order, spaces, escaped
// surrogates, invalid bytes...): the caller parses such a line in full, which also gives the
// precise error. So a true answer must agree with the full parser, and a false one costs only the
// wasted scan.
bool read_dockerd_line_shape(std::string_view line, std::string& log, LogStream& stream,
                             std::string_view& time);

}  // namespace lc::json_file
