#include "sinks/splunk_hec/splunk_hec_encoder.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "core/json_string_writer.hpp"
#include "sinks/common/http_url.hpp"

namespace lc {
namespace {

using namespace std::string_view_literals;

RecordTemplate parse_template(const std::string& text) {
  RecordTemplate parsed;
  if (auto problem = RecordTemplate::parse(text, parsed)) {
    throw std::invalid_argument("splunk_hec template: " + *problem);
  }
  return parsed;
}

// "1700000000.123456789": HEC's time is seconds, with any fraction (a time before 1970 is
// "-1.500000000", its sign in front of the whole).
void append_seconds(std::string& out, TimestampNs time) {
  const auto nanoseconds = static_cast<std::int64_t>(time);
  const std::uint64_t magnitude = nanoseconds < 0 ? 0 - static_cast<std::uint64_t>(nanoseconds)
                                                  : static_cast<std::uint64_t>(nanoseconds);
  fmt::format_to(std::back_inserter(out), "{}{}.{:09}", nanoseconds < 0 ? "-" : "",
                 magnitude / 1'000'000'000, magnitude % 1'000'000'000);
}

}  // namespace

SplunkHecEncoder::SplunkHecEncoder(const SplunkHecSinkOptions& options, std::string host)
    : api_(options.api),
      event_format_(options.event_format),
      gzip_(options.compression == SplunkHecSinkOptions::Compression::kGzip),
      host_(std::move(host)),
      ndjson_(false),
      gzip_compressor_(GzipCompressor::kFastest) {
  metadata_.push_back({"host", parse_template(options.host)});
  metadata_.push_back({"source", parse_template(options.source)});
  metadata_.push_back({"sourcetype", parse_template(options.sourcetype)});
  metadata_.push_back({"index", parse_template(options.index)});
  for (const auto& [name, text] : options.fields) fields_.emplace_back(name, parse_template(text));
}

HttpSinkRequestBody SplunkHecEncoder::encode(std::span<const LogRecord> records) {
  plain_.clear();
  for (const LogRecord& record : records) {
    if (api_ == SplunkHecSinkOptions::Api::kRaw) {
      plain_ += record.message;
      plain_ += '\n';
    } else {
      append_event(record);
    }
  }
  HttpSinkRequestBody body{
      plain_, api_ == SplunkHecSinkOptions::Api::kRaw ? "text/plain" : "application/json", ""};
  if (gzip_) {
    gzip_compressor_.compress(plain_, compressed_);
    body.data = compressed_;
    body.content_encoding = "gzip";
  }
  return body;
}

void SplunkHecEncoder::append_event(const LogRecord& record) {
  const RecordContext context{record, host_};
  plain_ += R"({"time":)"sv;
  append_seconds(plain_, record.event_or_source_time());
  for (const Metadata& metadata : metadata_) {
    value_.clear();
    metadata.value.render(context, value_);
    if (value_.empty()) continue;
    fmt::format_to(std::back_inserter(plain_), R"(,"{}":)", metadata.key);
    append_json_string(plain_, value_);
  }
  plain_ += R"(,"event":)"sv;
  // HEC refuses a blank event (code 13): an empty line goes as its record's object.
  if (event_format_ == SplunkHecSinkOptions::EventFormat::kJson || record.message.empty()) {
    ndjson_.append(plain_, record);
    plain_.pop_back();  // its '\n'
  } else {
    append_json_string(plain_, record.message, record.valid_utf8);
  }
  bool first_field = true;
  for (const auto& [name, value] : fields_) {
    value_.clear();
    value.render(context, value_);
    if (value_.empty()) continue;
    plain_ += first_field ? R"(,"fields":{)"sv : ","sv;
    first_field = false;
    append_json_string(plain_, name);
    plain_ += ':';
    append_json_string(plain_, value_);
  }
  if (!first_field) plain_ += '}';
  plain_ += "}\n"sv;
}

std::string SplunkHecEncoder::query_of(const LogRecord& record) const {
  const RecordContext context{record, host_};
  std::string query;
  std::string value;
  for (const Metadata& metadata : metadata_) {
    value.clear();
    metadata.value.render(context, value);
    if (value.empty()) continue;
    if (!query.empty()) query += '&';
    query += metadata.key;
    query += '=';
    percent_encode_value(value, query);
  }
  return query;
}

}  // namespace lc
