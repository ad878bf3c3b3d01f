#include "core/field_path.hpp"

#include <array>
#include <charconv>
#include <stdexcept>

namespace lc {
namespace {

struct RootName {
  std::string_view name;
  FieldPath::Root root;
};

constexpr std::array<RootName, 12> kRoots{{
    {"message", FieldPath::Root::kMessage},
    {"container_name", FieldPath::Root::kContainerName},
    {"container_id", FieldPath::Root::kContainerId},
    {"image", FieldPath::Root::kImage},
    {"stream", FieldPath::Root::kStream},
    {"compose_project", FieldPath::Root::kComposeProject},
    {"compose_service", FieldPath::Root::kComposeService},
    {"file", FieldPath::Root::kFile},
    {"input", FieldPath::Root::kInput},
    {"host", FieldPath::Root::kHost},
    {"labels", FieldPath::Root::kLabels},
    {"fields", FieldPath::Root::kFields},
}};

bool is_bare_key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// Reads a key at `text[pos]`: bare, or "quoted" with \" and \\ escapes.
std::optional<std::string> read_key(std::string_view text, std::size_t& pos, std::string& key) {
  if (pos < text.size() && text[pos] == '"') {
    for (++pos; pos < text.size() && text[pos] != '"'; ++pos) {
      if (text[pos] == '\\' && pos + 1 < text.size()) ++pos;
      key += text[pos];
    }
    if (pos >= text.size()) return "a quoted key is not closed";
    ++pos;
    return std::nullopt;
  }
  const std::size_t start = pos;
  while (pos < text.size() && is_bare_key_char(text[pos])) ++pos;
  if (pos == start) return "expected a key after '.' (quote keys with other characters)";
  key.assign(text.substr(start, pos - start));
  return std::nullopt;
}

std::optional<std::string> read_index(std::string_view text, std::size_t& pos, std::size_t& index) {
  const std::size_t close = text.find(']', pos);
  if (close == std::string_view::npos) return "a '[' is not closed";
  const auto [end, error] = std::from_chars(text.data() + pos + 1, text.data() + close, index);
  if (error != std::errc() || end != text.data() + close || close == pos + 1) {
    return "expected a list index like [0]";
  }
  pos = close + 1;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_field_path(std::string_view text, FieldPath& out) {
  text = trim(text);
  if (text.empty() || text.front() != '.') {
    return "a path starts with '.' and a root: .message, .fields.<key>, .labels.<key>, ...";
  }
  std::size_t pos = 1;
  std::string root_name;
  if (auto problem = read_key(text, pos, root_name)) return problem;
  FieldPath path;
  bool known = false;
  for (const RootName& root : kRoots) {
    if (root.name == root_name) {
      path.root = root.root;
      known = true;
    }
  }
  if (!known) {
    return "unknown root ." + root_name +
           " (roots: .message .container_name .container_id .image .stream .compose_project "
           ".compose_service .file .input .host .labels .fields)";
  }
  while (pos < text.size()) {
    if (text[pos] == '.') {
      ++pos;
      std::string key;
      if (auto problem = read_key(text, pos, key)) return problem;
      path.segments.emplace_back(std::move(key));
    } else if (text[pos] == '[' && path.root == FieldPath::Root::kFields) {
      std::size_t index = 0;
      if (auto problem = read_index(text, pos, index)) return problem;
      path.segments.emplace_back(index);
    } else {
      return "unexpected '" + std::string(1, text[pos]) + "' at position " +
             std::to_string(pos + 1);
    }
  }
  if (path.root == FieldPath::Root::kLabels && path.segments.size() > 1) {
    return ".labels takes one key (quote a key with dots: .labels.\"com.example.team\")";
  }
  if (path.root != FieldPath::Root::kLabels && path.root != FieldPath::Root::kFields &&
      !path.segments.empty()) {
    return "." + root_name + " has no keys below it";
  }
  out = std::move(path);
  return std::nullopt;
}

std::string FieldPath::text() const {
  std::string out;
  for (const RootName& name : kRoots) {
    if (name.root == root) out = "." + std::string(name.name);
  }
  for (const Segment& segment : segments) {
    if (const auto* index = std::get_if<std::size_t>(&segment)) {
      out += "[" + std::to_string(*index) + "]";
      continue;
    }
    const std::string& key = std::get<std::string>(segment);
    bool bare = !key.empty();
    for (const char c : key) bare = bare && is_bare_key_char(c);
    if (bare) {
      out += "." + key;
      continue;
    }
    out += ".\"";
    for (const char c : key) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out;
}

std::optional<std::string> parse_fields_key(std::string_view key, FieldPath& out) {
  const std::string text = key.starts_with('.') ? std::string(key) : ".fields." + std::string(key);
  FieldPath path;
  if (auto problem = parse_field_path(text, path)) return problem;
  if (path.root != FieldPath::Root::kFields || path.segments.empty()) {
    return "must name a field (`level`, `http.status` or `.fields.level`)";
  }
  for (const FieldPath::Segment& segment : path.segments) {
    if (!std::holds_alternative<std::string>(segment)) return "must name keys, not list items";
  }
  out = std::move(path);
  return std::nullopt;
}

FieldPath checked_fields_key(std::string_view key) {
  FieldPath path;
  if (auto problem = parse_fields_key(key, path)) {
    throw std::invalid_argument(std::string(key) + ": " + *problem);
  }
  return path;
}

}  // namespace lc
