#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/log_record.hpp"
#include "sinks/loki/loki_sink_options.hpp"

namespace lc {

struct LokiLabelPair {
  std::string name;
  std::string value;
  bool operator==(const LokiLabelPair&) const = default;
};

// What every record of one container and output stream is sent with. All text is valid UTF-8.
struct LokiStreamAttributes {
  std::vector<LokiLabelPair> labels;  // sorted by name, empty values left out
  std::string labels_text;            // {a="x",b="y"}: Loki's stream key in the protobuf format
  std::string labels_json;            // {"a":"x","b":"y"}: the "stream" object of the JSON format
  std::vector<LokiLabelPair> structured_metadata;  // config order, empty values left out
  std::string structured_metadata_json;            // {"k":"v"}, or empty when there is none
};

// Label used when every configured label renders empty: Loki refuses a stream without labels.
inline constexpr std::string_view kLokiFallbackLabelName = "agent";
inline constexpr std::string_view kLokiFallbackLabelValue = "log-capturer";

// Renders the configured label templates (the defaults, plus `labels`, minus `drop_labels`) and
// structured metadata for a record. The result depends only on the record's source (container
// or tailed file), output stream and, for templates that read .fields, the values they read, so
// it is cached per (source, stream, those values): a record costs one hash lookup (plus
// rendering its field templates when some read .fields).
class LokiRecordLabeler {
 public:
  // `host` fills {{ .host }}. Throws std::invalid_argument on an entry the config loader would have
  // refused.
  LokiRecordLabeler(const LokiSinkOptions& config, std::string host);
  // field_templates_ points into labels_ and structured_metadata_: a move keeps their buffers.
  LokiRecordLabeler(const LokiRecordLabeler&) = delete;
  LokiRecordLabeler& operator=(const LokiRecordLabeler&) = delete;
  LokiRecordLabeler(LokiRecordLabeler&&) = default;

  // Valid until trim_cache() or the labeler's destruction; inserting others keeps it valid.
  const LokiStreamAttributes& attributes_for(const LogRecord& record);

  // Empties the cache when it holds more than kMaxCachedEntries (containers come and go). Call
  // between batches, never while holding references from attributes_for().
  void trim_cache();
  std::size_t cached_entries() const { return cache_.size(); }
  static constexpr std::size_t kMaxCachedEntries = 2048;

  // The label names in use, sorted (for tests and logs).
  std::vector<std::string> label_names() const;
  // False with `structured_metadata: []` (a Loki before 2.9 refuses any).
  bool sends_structured_metadata() const { return !structured_metadata_.empty(); }

 private:
  struct CacheKey {
    const ContainerMetadata* container;
    const FileSource* file;
    LogStream stream;
    std::string field_values;  // what the templates reading .fields render, '\0'-separated
    bool operator==(const CacheKey&) const = default;
  };
  struct CacheKeyHash {
    std::size_t operator()(const CacheKey& key) const noexcept;
  };
  struct CacheEntry {
    // Keep the key's addresses from being reused while cached.
    ContainerMetadataPtr container;
    FileSourcePtr file;
    LokiStreamAttributes attributes;
  };

  // From the first record of a cache key: the templates read nothing else.
  LokiStreamAttributes render(const LogRecord& record) const;
  std::string render_field_values(const LogRecord& record) const;
  std::string render_template(const RecordTemplate& value, const LogRecord& record) const;

  std::vector<LokiFieldSpec> labels_;  // sorted by name
  std::vector<LokiFieldSpec> structured_metadata_;
  std::vector<const RecordTemplate*> field_templates_;  // those that read .fields
  std::string host_;
  std::unordered_map<CacheKey, CacheEntry, CacheKeyHash> cache_;
};

// Appends `value` as a quoted label value of Loki's label syntax: backslash, double quote and
// newline escaped, as in the Prometheus text format.
void append_loki_label_value(std::string& out, std::string_view value);

}  // namespace lc
