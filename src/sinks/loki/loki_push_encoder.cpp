#include "sinks/loki/loki_push_encoder.hpp"

#include <snappy.h>

#include <algorithm>
#include <charconv>

#include "core/json_string_writer.hpp"
#include "sinks/common/utf8_repair.hpp"

namespace lc {
namespace {

constexpr std::string_view kProtobufContentType = "application/x-protobuf";
constexpr std::string_view kJsonContentType = "application/json";
constexpr std::string_view kGzipEncoding = "gzip";
// A huge batch must not pin its buffers for the agent's lifetime.
constexpr std::size_t kMaxRetainedPushBufferBytes = 16u << 20;
constexpr TimestampNs kNanosPerSecond = 1'000'000'000;

// The entry's time: the event time when known, else the source time. An event time stated to
// a coarser unit (a second, a millisecond) takes the digits below that unit from the source
// time: Loki keeps only one of entries equal in stream, time and line, and equal lines within
// one second are common (health checks); the source time keeps them apart, the same on a resend.
TimestampNs loki_entry_time(const LogRecord& record) {
  if (record.event_time == 0) return record.time;
  TimestampNs unit = 1;
  while (unit < kNanosPerSecond && record.event_time % (unit * 10) == 0) unit *= 10;
  TimestampNs below = record.time % unit;
  if (below < 0) below += unit;
  return record.event_time + below;
}

void release_if_oversized(std::string& buffer) {
  if (buffer.capacity() <= kMaxRetainedPushBufferBytes) return;
  buffer.clear();
  buffer.shrink_to_fit();
}

void append_decimal(std::string& out, TimestampNs value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof digits, value);
  out.append(digits, result.ptr);
}

}  // namespace

LokiPushEncoder::LokiPushEncoder(const LokiSinkOptions& config, std::string host)
    : format_(config.format),
      gzip_(config.gzip),
      line_format_(config.line_format),
      labeler_(config, std::move(host)) {}

LokiPushBody LokiPushEncoder::encode(std::span<const LogRecord> records) {
  release_oversized_buffers();  // the previous body is no longer in use
  group(records);
  LokiPushBody body;
  if (format_ == LokiSinkOptions::Format::kProtobuf) {
    encode_protobuf(records);
    body.content_type = kProtobufContentType;
    body.data = body_;
  } else {
    encode_json(records);
    body.content_type = kJsonContentType;
    if (gzip_) {
      gzip_compressor_.compress(serialized_, body_);
      body.content_encoding = kGzipEncoding;
      body.data = body_;
    } else {
      body.data = serialized_;
    }
  }
  body.streams = stream_count_;
  body.entries = records.size();
  return body;
}

void LokiPushEncoder::group(std::span<const LogRecord> records) {
  labeler_.trim_cache();  // before any reference into it is taken
  stream_by_labels_.clear();
  for (std::size_t i = 0; i < stream_count_; ++i) streams_[i].entries.clear();
  stream_count_ = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const LokiStreamAttributes& attributes = labeler_.attributes_for(records[i]);
    auto [it, inserted] = stream_by_labels_.try_emplace(std::string_view(attributes.labels_text),
                                                        static_cast<std::uint32_t>(stream_count_));
    if (inserted) {
      if (stream_count_ == streams_.size()) streams_.emplace_back();
      streams_[stream_count_].attributes = &attributes;
      ++stream_count_;
    }
    streams_[it->second].entries.push_back({static_cast<std::uint32_t>(i), &attributes});
  }
  const auto earlier = [&](const Entry& a, const Entry& b) {
    return loki_entry_time(records[a.record]) < loki_entry_time(records[b.record]);
  };
  for (std::size_t i = 0; i < stream_count_; ++i) {
    auto& entries = streams_[i].entries;
    if (!std::is_sorted(entries.begin(), entries.end(), earlier)) {
      std::stable_sort(entries.begin(), entries.end(), earlier);
    }
  }
}

// The record's flags travel as structured metadata ("true" when set, absent otherwise), named
// as the file store names them; not at all when structured metadata is off.
template <typename Visit>
void LokiPushEncoder::for_each_flag(const LogRecord& record, Visit&& visit) const {
  if (!labeler_.sends_structured_metadata()) return;
  if (record.truncated) visit("truncated");
  if (record.invalid) visit("unparsed");
}

std::string_view LokiPushEncoder::valid_line(const LogRecord& record) {
  if (line_format_ == LokiSinkOptions::LineFormat::kJson) return json_line(record);
  if (record.valid_utf8) return record.message;
  const std::string_view line = as_valid_utf8(record.message, utf8_scratch_);
  if (line.data() != record.message.data()) ++repaired_lines_;
  return line;
}

// The record's message first; a field named "message" is left out (the line has one message:
// processors that want another one set .message).
std::string_view LokiPushEncoder::json_line(const LogRecord& record) {
  json_line_.assign("{\"message\":");
  bool valid = append_json_string(json_line_, record.message, record.valid_utf8);
  if (const FieldValue* fields = record.fields.get()) {
    for (const FieldEntry& entry : fields->as_map()) {
      if (entry.key == "message") continue;
      json_line_ += ',';
      valid &= append_json_string(json_line_, entry.key);
      json_line_ += ':';
      valid &= entry.value.append_json(json_line_);
    }
  }
  json_line_ += '}';
  if (!valid) ++repaired_lines_;
  return json_line_;
}

void LokiPushEncoder::encode_protobuf(std::span<const LogRecord> records) {
  // Clear() keeps the stream and entry objects (and their strings' capacity) for reuse.
  request_.Clear();
  for (std::size_t s = 0; s < stream_count_; ++s) {
    const Stream& stream = streams_[s];
    logproto::StreamAdapter* adapter = request_.add_streams();
    adapter->set_labels(stream.attributes->labels_text);
    adapter->mutable_entries()->Reserve(static_cast<int>(stream.entries.size()));
    for (const Entry& entry : stream.entries) {
      const LogRecord& record = records[entry.record];
      logproto::EntryAdapter* out = adapter->add_entries();
      // Floor division: nanos must be in [0, 1e9) even before 1970.
      const TimestampNs time = loki_entry_time(record);
      TimestampNs seconds = time / kNanosPerSecond;
      TimestampNs nanos = time % kNanosPerSecond;
      if (nanos < 0) {
        nanos += kNanosPerSecond;
        --seconds;
      }
      out->mutable_timestamp()->set_seconds(seconds);
      out->mutable_timestamp()->set_nanos(static_cast<std::int32_t>(nanos));
      const std::string_view line = valid_line(record);
      out->set_line(line.data(), line.size());
      for (const LokiLabelPair& pair : entry.attributes->structured_metadata) {
        logproto::LabelPairAdapter* metadata = out->add_structuredmetadata();
        metadata->set_name(pair.name);
        metadata->set_value(pair.value);
      }
      for_each_flag(record, [&](const char* flag) {
        logproto::LabelPairAdapter* metadata = out->add_structuredmetadata();
        metadata->set_name(flag);
        metadata->set_value("true");
      });
    }
  }
  request_.SerializeToString(&serialized_);
  // Loki expects snappy's block format (not the framed one) for protobuf bodies.
  body_.resize(snappy::MaxCompressedLength(serialized_.size()));
  std::size_t compressed_size = 0;
  snappy::RawCompress(serialized_.data(), serialized_.size(), body_.data(), &compressed_size);
  body_.resize(compressed_size);
}

void LokiPushEncoder::encode_json(std::span<const LogRecord> records) {
  // {"streams":[{"stream":{...},"values":[["<ns>","<line>",{metadata}],...]},...]}
  serialized_.clear();
  serialized_ += R"({"streams":[)";
  for (std::size_t s = 0; s < stream_count_; ++s) {
    const Stream& stream = streams_[s];
    if (s > 0) serialized_ += ',';
    serialized_ += R"({"stream":)";
    serialized_ += stream.attributes->labels_json;
    serialized_ += R"(,"values":[)";
    bool first = true;
    for (const Entry& entry : stream.entries) {
      const LogRecord& record = records[entry.record];
      serialized_ += first ? "[\"" : ",[\"";
      first = false;
      append_decimal(serialized_, loki_entry_time(record));
      serialized_ += "\",";
      if (line_format_ == LokiSinkOptions::LineFormat::kJson) {
        append_json_string(serialized_, json_line(record), true);
      } else if (!append_json_string(serialized_, record.message, record.valid_utf8)) {
        ++repaired_lines_;
      }
      const std::string& metadata = entry.attributes->structured_metadata_json;
      if (!metadata.empty()) {
        serialized_ += ',';
        serialized_.append(metadata, 0, metadata.size() - 1);  // without its closing brace
      }
      bool any_flag = false;
      for_each_flag(record, [&](const char* flag) {
        serialized_ += metadata.empty() && !any_flag ? ",{\"" : ",\"";
        serialized_ += flag;
        serialized_ += "\":\"true\"";
        any_flag = true;
      });
      if (!metadata.empty() || any_flag) serialized_ += '}';
      serialized_ += ']';
    }
    serialized_ += "]}";
  }
  serialized_ += "]}";
}

void LokiPushEncoder::release_oversized_buffers() {
  // The serialized size tells how much the reused message and groups hold as well.
  if (serialized_.capacity() > kMaxRetainedPushBufferBytes) {
    request_ = logproto::PushRequest();
    streams_ = {};
    stream_count_ = 0;
  }
  release_if_oversized(serialized_);
  release_if_oversized(body_);
  release_if_oversized(utf8_scratch_);
  release_if_oversized(json_line_);
}

}  // namespace lc
