#include "sinks/elasticsearch/elasticsearch_document_id.hpp"

#include <xxhash.h>

#include <array>
#include <cstring>

namespace lc {
namespace {

// The hash's input, built field by field with fixed widths (no two keys can run together).
class IdKey {
 public:
  explicit IdKey(std::string& buffer) : text_(buffer) { text_.clear(); }

  void add(std::uint64_t value) {
    std::array<char, sizeof value> bytes{};
    std::memcpy(bytes.data(), &value, sizeof value);
    text_.append(bytes.data(), bytes.size());
  }
  void add(std::string_view text) {
    add(static_cast<std::uint64_t>(text.size()));
    text_.append(text);
  }
  void add_tag(char tag) { text_ += tag; }
  XXH128_hash_t hash() const { return XXH3_128bits(text_.data(), text_.size()); }

 private:
  std::string& text_;  // reused: no allocation per record
};

void add_source_position(IdKey& key, const LogRecord& record) {
  if (record.container && !record.invalid && !record.time_estimated) {
    key.add_tag('c');
    key.add(record.container->id);
    key.add(static_cast<std::uint64_t>(record.stream));
    key.add(static_cast<std::uint64_t>(record.time));
    key.add(std::uint64_t{record.index_at_time});
    return;
  }
  if (record.container) {
    // A json-file line that was not JSON has a neighbour's time and no rank (and the disk buffer
    // keeps neither flag but `invalid`): its place in the file and its text tell it apart.
    key.add_tag('i');
    key.add(record.container->id);
    key.add(static_cast<std::uint64_t>(record.stream));
    key.add(record.file_fingerprint);
    key.add(record.file_position.offset);
    key.add(record.message);
    return;
  }
  if (record.file_source && record.file_position.file.valid()) {
    // The fingerprint is the first line's: files with the same header share it, and a truncated
    // file reuses its offsets, so the file's identity and the line itself are part of the key.
    key.add_tag('f');
    key.add(record.file_fingerprint);
    key.add(record.file_position.file.device);
    key.add(record.file_position.file.inode);
    key.add(record.file_position.offset);
    key.add(record.message);
    return;
  }
  key.add_tag('m');
  key.add(static_cast<std::uint64_t>(record.time));
  key.add(static_cast<std::uint64_t>(record.stream));
  key.add(record.message);
}

void append_base64url(std::string& out, const XXH128_hash_t& hash) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  // 128 bits, 6 at a time: 21 full digits and one of the last 2 bits.
  const std::uint64_t words[2] = {hash.high64, hash.low64};
  for (int bit = 0; bit < 128; bit += 6) {
    const int word = bit / 64;
    const int shift = bit % 64;
    std::uint64_t digit = words[word] >> shift;
    if (shift > 58 && word == 0) digit |= words[1] << (64 - shift);
    out += kAlphabet[digit & 0x3F];
  }
}

}  // namespace

void append_elasticsearch_document_id(std::string& out, const LogRecord& record) {
  thread_local std::string buffer;
  IdKey key(buffer);
  add_source_position(key, record);
  if (const FieldValue* fields = record.fields.get()) {
    const FieldValue* emit_index = fields->find("emit_index");
    if (emit_index != nullptr && emit_index->type() == FieldValue::Type::kInt) {
      key.add_tag('e');
      key.add(static_cast<std::uint64_t>(emit_index->as_int()));
    }
  }
  append_base64url(out, key.hash());
}

}  // namespace lc
