#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_path.hpp"
#include "core/field_value.hpp"
#include "core/log_record.hpp"

namespace lc {

// What a template, a selector or a processor reads from one record besides the record itself.
struct RecordContext {
  const LogRecord& record;
  std::string_view host;  // the agent's host name (.host)
};

// The labels of the record's container, or of its tailed file; null when it has neither.
const std::map<std::string, std::string>* record_labels(const LogRecord& record);
// The value at `path` as text (a field as FieldValue::text()): empty when absent.
std::string read_path_text(const FieldPath& path, const RecordContext& context);
// The structured field at `path` (a .fields path), or null when absent or not a .fields path.
const FieldValue* read_path_field(const FieldPath& path, const FieldValue* fields);

// Literal text with {{ path }} placeholders, one engine for every component (docs/fields.md):
// "{{ .container_name }}-{{ .fields.level }}". A placeholder whose value is absent renders as
// nothing. Parsed once at load; rendering appends to a buffer without allocating per part.
class RecordTemplate {
 public:
  // Parses `text`; a problem says what is wrong. Text without "{{" is one literal.
  static std::optional<std::string> parse(std::string_view text, RecordTemplate& out);

  void render(const RecordContext& context, std::string& out) const;
  std::string render(const RecordContext& context) const;
  // Renders with the literal text and each placeholder's value appended by their own escape
  // (a URL's path encodes a value's '/', not its own).
  using Escape = std::function<void(std::string_view text, std::string& out)>;
  void render_escaped(const RecordContext& context, std::string& out, const Escape& literal,
                      const Escape& value) const;
  // Whether it has no placeholder (the same text for every record).
  bool constant() const;
  // Whether a placeholder reads below `root` (.message or .fields: then the text may differ
  // between records of one source).
  bool reads(FieldPath::Root root) const;
  const std::string& source() const { return source_; }
  bool operator==(const RecordTemplate& other) const { return source_ == other.source_; }

 private:
  static void append_value(const FieldPath& path, const RecordContext& context, std::string& out);

  struct Part {
    std::string literal;            // rendered first
    std::optional<FieldPath> path;  // then this value, when set
  };
  std::vector<Part> parts_;
  std::string source_;
};

// The templates of earlier versions, "{container_name}-{label:com.example.app}" with "{{" and
// "}}" for literal braces, in today's syntax: "{{ .container_name }}-{{ .labels."com.example.app"
// }}". Text already in today's syntax ("{{ ." somewhere) is returned as it is. The fields of the
// old syntax: container_name container_id image stream compose_project compose_service host
// label:<key>.
std::optional<std::string> translate_legacy_template(std::string_view text, std::string& out);

}  // namespace lc
