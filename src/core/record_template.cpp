#include "core/record_template.hpp"

#include <algorithm>
#include <array>

namespace lc {
namespace {

std::string_view stream_name(LogStream stream) {
  return stream == LogStream::kStderr ? "stderr" : "stdout";
}

// Views into the record (never a temporary: each branch names a std::string_view).
std::string_view metadata_text(const FieldPath& path, const RecordContext& context) {
  const LogRecord& record = context.record;
  const ContainerMetadata* container = record.container.get();
  const FileSource* file = record.file_source.get();
  switch (path.root) {
    case FieldPath::Root::kMessage:
      return record.message;
    case FieldPath::Root::kContainerName:
      return container ? std::string_view(container->name) : std::string_view();
    case FieldPath::Root::kContainerId:
      return container ? std::string_view(container->id) : std::string_view();
    case FieldPath::Root::kImage:
      return container ? std::string_view(container->image) : std::string_view();
    case FieldPath::Root::kStream:
      return stream_name(record.stream);
    case FieldPath::Root::kComposeProject:
      return container ? std::string_view(container->compose_project) : std::string_view();
    case FieldPath::Root::kComposeService:
      return container ? std::string_view(container->compose_service) : std::string_view();
    case FieldPath::Root::kFile:
      return file ? std::string_view(file->path) : std::string_view();
    case FieldPath::Root::kInput:
      return container ? std::string_view(container->input)
             : file    ? std::string_view(file->input)
                       : std::string_view();
    case FieldPath::Root::kHost:
      return context.host;
    case FieldPath::Root::kLabels: {
      const auto* labels = record_labels(record);
      if (labels == nullptr || path.segments.empty()) return "";
      const auto found = labels->find(std::get<std::string>(path.segments.front()));
      return found == labels->end() ? std::string_view() : std::string_view(found->second);
    }
    case FieldPath::Root::kFields:
      return "";
  }
  return "";
}

// The text of a placeholder that is a "quoted string" (\" and \\ escaped), else nullopt.
std::optional<std::string> quoted_literal(std::string_view inside) {
  while (!inside.empty() && inside.front() == ' ') inside.remove_prefix(1);
  while (!inside.empty() && inside.back() == ' ') inside.remove_suffix(1);
  if (inside.size() < 2 || inside.front() != '"' || inside.back() != '"') return std::nullopt;
  std::string text;
  for (std::size_t i = 1; i + 1 < inside.size(); ++i) {
    if (inside[i] == '\\' && i + 2 < inside.size()) ++i;
    text += inside[i];
  }
  return text;
}

}  // namespace

const FieldValue* read_path_field(const FieldPath& path, const FieldValue* fields) {
  if (path.root != FieldPath::Root::kFields) return nullptr;
  const FieldValue* value = fields;
  for (const FieldPath::Segment& segment : path.segments) {
    if (value == nullptr) return nullptr;
    if (const auto* index = std::get_if<std::size_t>(&segment)) {
      if (value->type() != FieldValue::Type::kList || *index >= value->as_list().size()) {
        return nullptr;
      }
      value = &value->as_list()[*index];
    } else {
      value = value->find(std::get<std::string>(segment));
    }
  }
  return value;
}

std::string read_path_text(const FieldPath& path, const RecordContext& context) {
  if (path.root != FieldPath::Root::kFields) return std::string(metadata_text(path, context));
  const FieldValue* value = read_path_field(path, context.record.fields.get());
  return value == nullptr ? std::string() : value->text();
}

std::optional<std::string> RecordTemplate::parse(std::string_view text, RecordTemplate& out) {
  RecordTemplate parsed;
  parsed.source_ = std::string(text);
  Part part;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      part.literal.append(text.substr(pos));
      break;
    }
    part.literal.append(text.substr(pos, open - pos));
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) return "a '{{' is not closed by '}}'";
    const std::string_view inside = text.substr(open + 2, close - open - 2);
    if (auto literal = quoted_literal(inside)) {  // {{ "{{" }}: literal text
      part.literal += *literal;
      pos = close + 2;
      continue;
    }
    FieldPath path;
    if (auto problem = parse_field_path(inside, path)) {
      return "in {{" + std::string(inside) + "}}: " + *problem;
    }
    part.path = std::move(path);
    parsed.parts_.push_back(std::move(part));
    part = Part{};
    pos = close + 2;
  }
  if (!part.literal.empty() || parsed.parts_.empty()) parsed.parts_.push_back(std::move(part));
  out = std::move(parsed);
  return std::nullopt;
}

void RecordTemplate::render(const RecordContext& context, std::string& out) const {
  for (const Part& part : parts_) {
    out += part.literal;
    if (part.path) append_value(*part.path, context, out);
  }
}

void RecordTemplate::render_escaped(const RecordContext& context, std::string& out,
                                    const Escape& literal, const Escape& value) const {
  std::string text;
  for (const Part& part : parts_) {
    literal(part.literal, out);
    if (!part.path) continue;
    text.clear();
    append_value(*part.path, context, text);
    value(text, out);
  }
}

void RecordTemplate::append_value(const FieldPath& path, const RecordContext& context,
                                  std::string& out) {
  if (path.root == FieldPath::Root::kFields) {
    if (const FieldValue* value = read_path_field(path, context.record.fields.get())) {
      if (value->type() == FieldValue::Type::kString) {
        out += value->as_string();
      } else if (!value->is_null()) {
        out += value->text();
      }
    }
  } else {
    out += metadata_text(path, context);
  }
}

std::string RecordTemplate::render(const RecordContext& context) const {
  std::string out;
  render(context, out);
  return out;
}

bool RecordTemplate::constant() const {
  for (const Part& part : parts_) {
    if (part.path) return false;
  }
  return true;
}

bool RecordTemplate::reads(FieldPath::Root root) const {
  for (const Part& part : parts_) {
    if (part.path && part.path->root == root) return true;
  }
  return false;
}

std::optional<std::string> translate_legacy_template(std::string_view text, std::string& out) {
  static constexpr std::array<std::string_view, 7> kFields{
      "container_name",  "container_id",    "image", "stream",
      "compose_project", "compose_service", "host"};
  const std::size_t modern = text.find("{{");
  if (modern != std::string_view::npos &&
      text.find_first_not_of(' ', modern + 2) != std::string_view::npos &&
      text[text.find_first_not_of(' ', modern + 2)] == '.') {
    out = std::string(text);
    return std::nullopt;
  }
  std::string translated;
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const char c = text[pos];
    if ((c == '{' || c == '}') && pos + 1 < text.size() && text[pos + 1] == c) {
      // A literal brace: "}" is itself today, "{" a quoted literal (it could open "{{").
      translated += c == '{' ? "{{ \"{\" }}" : "}";
      ++pos;
      continue;
    }
    if (c == '}') return "a '}' without its '{' (write '}}' for a literal brace)";
    if (c != '{') {
      translated += c;
      continue;
    }
    const std::size_t close = text.find('}', pos);
    if (close == std::string_view::npos)
      return "a '{' is not closed (write '{{' for a literal brace)";
    const std::string_view field = text.substr(pos + 1, close - pos - 1);
    if (field.starts_with("label:") && field.size() > 6) {
      FieldPath path{FieldPath::Root::kLabels, {std::string(field.substr(6))}};
      translated += "{{ " + path.text() + " }}";
    } else if (std::find(kFields.begin(), kFields.end(), field) != kFields.end()) {
      translated += "{{ ." + std::string(field) + " }}";
    } else {
      return "unknown field {" + std::string(field) +
             "} (fields: container_name container_id image stream compose_project "
             "compose_service host label:<key>)";
    }
    pos = close;
  }
  out = std::move(translated);
  return std::nullopt;
}

const std::map<std::string, std::string>* record_labels(const LogRecord& record) {
  if (record.container != nullptr) return &record.container->labels;
  if (record.file_source != nullptr) return &record.file_source->labels;
  return nullptr;
}

}  // namespace lc
