#include "inputs/json_file/json_file_line_parser.hpp"

#include <cstring>

#include "inputs/json_file/dockerd_line_shape.hpp"

namespace lc::json_file {

namespace ondemand = simdjson::ondemand;

const char* to_string(LineError error) {
  switch (error) {
    case LineError::kNone:
      return "none";
    case LineError::kInvalidJson:
      return "invalid_json";
    case LineError::kInvalidUtf8:
      return "invalid_utf8";
    case LineError::kMissingLog:
      return "missing_log";
    case LineError::kBadStream:
      return "bad_stream";
    case LineError::kBadTime:
      return "bad_time";
    case LineError::kTooLong:
      return "too_long";
  }
  return "unknown";
}

namespace {

LineError from_simdjson(simdjson::error_code error) {
  // STRING_ERROR is what an escaped lone surrogate ("\ud800") yields: not representable in UTF-8.
  if (error == simdjson::UTF8_ERROR || error == simdjson::STRING_ERROR) {
    return LineError::kInvalidUtf8;
  }
  return LineError::kInvalidJson;
}

}  // namespace

JsonFileLineParser::JsonFileLineParser(std::size_t max_line_bytes)
    : max_line_bytes_(max_line_bytes) {
  reserve(1024);
}

void JsonFileLineParser::reserve(std::size_t bytes) {
  if (bytes <= padded_capacity_) return;
  std::size_t capacity = padded_capacity_ == 0 ? bytes : padded_capacity_;
  while (capacity < bytes) capacity *= 2;
  padded_ = std::make_unique<char[]>(capacity + simdjson::SIMDJSON_PADDING);
  padded_capacity_ = capacity;
}

LineError JsonFileLineParser::parse(std::string_view line, JsonFileLine& out, bool padded) {
  if (line.size() > max_line_bytes_) return LineError::kTooLong;
  std::string_view time_text;
  if (read_dockerd_line_shape(line, log_, out.stream, time_text)) {
    if (const auto time = times_.parse(time_text)) {
      out.log = log_;
      out.time = *time;
      return LineError::kNone;
    }
  }
  return parse_in_full(line, out, padded);
}

LineError JsonFileLineParser::parse_in_full(std::string_view line, JsonFileLine& out, bool padded) {
  if (line.size() > max_line_bytes_) return LineError::kTooLong;
  const char* input = line.data();
  std::size_t allocated = line.size() + kPadding;
  if (!padded) {
    reserve(line.size());
    std::memcpy(padded_.get(), line.data(), line.size());
    std::memset(padded_.get() + line.size(), ' ', kPadding);
    input = padded_.get();
    allocated = padded_capacity_ + kPadding;
  }

  ondemand::document doc;
  if (auto error = parser_.iterate(input, line.size(), allocated).get(doc)) {
    return from_simdjson(error);
  }
  ondemand::object object;
  if (auto error = doc.get_object().get(object)) return from_simdjson(error);

  bool has_log = false;
  bool has_stream = false;
  std::string_view time_text;
  bool has_time = false;
  for (auto field_result : object) {
    ondemand::field field;
    if (auto error = std::move(field_result).get(field)) return from_simdjson(error);
    const ondemand::raw_json_string key = field.key();
    if (key.is_equal("log")) {
      if (auto error = field.value().get_string().get(out.log)) {
        return error == simdjson::INCORRECT_TYPE ? LineError::kMissingLog : from_simdjson(error);
      }
      has_log = true;
    } else if (key.is_equal("stream")) {
      std::string_view stream;
      if (auto error = field.value().get_string().get(stream)) {
        return error == simdjson::INCORRECT_TYPE ? LineError::kBadStream : from_simdjson(error);
      }
      if (stream == "stdout") {
        out.stream = LogStream::kStdout;
      } else if (stream == "stderr") {
        out.stream = LogStream::kStderr;
      } else {
        return LineError::kBadStream;
      }
      has_stream = true;
    } else if (key.is_equal("time")) {
      if (auto error = field.value().get_string().get(time_text)) {
        return error == simdjson::INCORRECT_TYPE ? LineError::kBadTime : from_simdjson(error);
      }
      has_time = true;
    }
    // Other fields (e.g. "attrs" from --log-opt labels=...) are skipped by the iteration.
  }
  // Only whitespace may follow the object: current_location() is out of bounds at the end.
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return LineError::kInvalidJson;
  if (!has_log) return LineError::kMissingLog;
  if (!has_stream) return LineError::kBadStream;
  if (!has_time) return LineError::kBadTime;
  const auto time = times_.parse(time_text);
  if (!time) return LineError::kBadTime;
  out.time = *time;
  return LineError::kNone;
}

}  // namespace lc::json_file
