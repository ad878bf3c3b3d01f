#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/log_record.hpp"
#include "sinks/common/gzip_compressor.hpp"
#include "sinks/loki/loki_record_labeler.hpp"
#include "sinks/loki/loki_sink_options.hpp"
#include "sinks/loki/push.pb.h"

namespace lc {

// One encoded push request body and the headers that describe it.
struct LokiPushBody {
  std::string_view data;
  std::string_view content_type;      // application/x-protobuf or application/json
  std::string_view content_encoding;  // empty, or "gzip"
  std::size_t streams = 0;
  std::size_t entries = 0;
};

// Turns a batch of records into the body of one POST /loki/api/v1/push: records grouped into
// streams by label set, each stream's entries ordered by time (stable, so lines with equal
// timestamps keep their order), then either a snappy-compressed protobuf PushRequest or the
// JSON push format (optionally gzip'd). No network: benchmarked and tested on its own. Buffers
// and protobuf objects are reused from batch to batch.
class LokiPushEncoder {
 public:
  // `host` fills the {host} field. Throws std::invalid_argument on invalid label entries.
  LokiPushEncoder(const LokiSinkOptions& config, std::string host);

  // The body stays valid until the next encode() or the encoder's destruction.
  LokiPushBody encode(std::span<const LogRecord> records);

  // Lines that were not valid UTF-8 and were sent repaired, since construction.
  std::uint64_t repaired_lines() const { return repaired_lines_; }
  const LokiRecordLabeler& labeler() const { return labeler_; }

 private:
  struct Entry {
    std::uint32_t record;                    // index in the batch
    const LokiStreamAttributes* attributes;  // the record's own (structured metadata)
  };
  struct Stream {
    const LokiStreamAttributes* attributes = nullptr;  // labels of the stream's first record
    std::vector<Entry> entries;
  };

  void group(std::span<const LogRecord> records);
  void encode_protobuf(std::span<const LogRecord> records);
  void encode_json(std::span<const LogRecord> records);
  std::string_view valid_line(const LogRecord& record);
  // line_format: json: {"message":...} with the record's fields merged in, in json_line_.
  std::string_view json_line(const LogRecord& record);
  template <typename Visit>
  void for_each_flag(const LogRecord& record, Visit&& visit) const;
  void release_oversized_buffers();

  const LokiSinkOptions::Format format_;
  const bool gzip_;
  const LokiSinkOptions::LineFormat line_format_;
  LokiRecordLabeler labeler_;
  GzipCompressor gzip_compressor_;

  std::unordered_map<std::string_view, std::uint32_t> stream_by_labels_;
  std::vector<Stream> streams_;  // the first stream_count_ are this batch's
  std::size_t stream_count_ = 0;
  logproto::PushRequest request_;
  std::string serialized_;  // protobuf, or JSON before gzip
  std::string body_;        // what goes on the wire
  std::string utf8_scratch_;
  std::string json_line_;
  std::uint64_t repaired_lines_ = 0;
};

}  // namespace lc
