#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/record_template.hpp"

namespace lc {

// An index (or data stream) name made from a template over the record and strftime dates of the
// record's own time, in UTC: "logs-{{ .compose_project }}-%Y.%m.%d". The date is the record's
// (its event time when a parser set one, else its source time), never the sending time, so a
// batch sent again lands in the same index. Values are made into what an index name may hold
// (lower case ASCII; '\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':' and other bytes
// become '_'), and so is the whole: leading '-', '_' or '+' dropped (a value that rendered
// empty), "log-capturer-unnamed" for nothing, at most 255 bytes. The template's own text must
// already be valid.
class ElasticsearchIndexName {
 public:
  // Parses `text`; a problem says what is wrong (an unknown %-specifier, a character an index
  // name cannot hold, an empty name).
  static std::optional<std::string> parse(std::string_view text, ElasticsearchIndexName& out);

  // Appends the name for `record`.
  void render(const RecordContext& context, std::string& out) const;
  const std::string& source() const { return template_.source(); }
  // Whether the name may differ between records of one source within one hour (it reads the
  // message, the fields or the stream).
  bool per_record() const {
    return template_.reads(FieldPath::Root::kMessage) ||
           template_.reads(FieldPath::Root::kFields) || template_.reads(FieldPath::Root::kStream);
  }

 private:
  RecordTemplate template_;
};

// Whether `c` may stand in an index name as it is (lower-case letters, digits and the
// punctuation Elasticsearch allows).
bool index_name_character(char c);

}  // namespace lc
