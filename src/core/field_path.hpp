#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lc {

// A place in a record, as processors, templates, selectors and routes name it (docs/fields.md):
// rooted at the record, with a dot before each key and quotes around a key that is not
// [A-Za-z0-9_-]+:
//   .message  .container_name  .container_id  .image  .stream  .compose_project
//   .compose_service  .file  .input  .host  .labels.app  .labels."com.example.team"
//   .fields.http.status  .fields."key.with.dots"  .fields.items[0]  .fields  (the whole map)
// Processors may write the message and fields; the rest is the source's metadata, read-only.
struct FieldPath {
  enum class Root {
    kMessage,
    kContainerName,
    kContainerId,
    kImage,
    kStream,
    kComposeProject,
    kComposeService,
    kFile,   // a tailed file's path
    kInput,  // the name of the input that read the record
    kHost,   // the agent's host name
    kLabels,
    kFields,
  };
  // A map key, or a list index ([n]).
  using Segment = std::variant<std::string, std::size_t>;

  Root root = Root::kMessage;
  std::vector<Segment> segments;  // below the root: one label key, or any depth of fields

  bool writable() const { return root == Root::kMessage || root == Root::kFields; }
  // The path as it would be written (keys quoted where needed).
  std::string text() const;
  bool operator==(const FieldPath&) const = default;
};

// Parses `text` (with or without spaces around it); a problem says what is wrong and where.
std::optional<std::string> parse_field_path(std::string_view text, FieldPath& out);
// A field as config keys name one (`level`, `http.status`, or in full `.fields.http.status`):
// a path below .fields, named by keys.
std::optional<std::string> parse_fields_key(std::string_view key, FieldPath& out);
// The same, for a key the config reader has checked: throws std::invalid_argument otherwise.
FieldPath checked_fields_key(std::string_view key);

}  // namespace lc
