#include "config/yaml_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "config/byte_size_text.hpp"
#include "config/duration_text.hpp"
#include "config/edit_distance.hpp"
#include "config/secret_file.hpp"

namespace lc {
namespace {

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return quote_for_message(node.Scalar());
    default:
      return "nothing";
  }
}

// How the reference shows a value: as a file would write it.
// As YAML would read it back: quoted when plain text would be something else ({{ .x }} is a
// mapping to YAML).
std::string show_string(const std::string& value) {
  const bool plain =
      !value.empty() &&
      std::string_view("{[*&!|>%@`'\"#").find(value.front()) == std::string_view::npos &&
      value.find(": ") == std::string::npos && value.find(" #") == std::string::npos;
  return plain ? value : fmt::format("\"{}\"", value);
}

std::string show_list(const std::vector<std::string>& values) {
  std::string shown = "[";
  for (const std::string& value : values) {
    if (shown.size() > 1) shown += ", ";
    shown += fmt::format("\"{}\"", value);
  }
  return shown + "]";
}

// A bound of a size: "1MiB", or "4294967295 bytes" where no unit divides it.
std::string show_size_bound(std::uint64_t bytes) {
  const std::string shown = format_byte_size(bytes);
  return shown == std::to_string(bytes) ? shown + " bytes" : shown;
}

}  // namespace

YamlSection::YamlSection(const YAML::Node& node, std::string path, ConfigLocation where,
                         ConfigDiagnostics& diagnostics, std::vector<KeySchema>* schema)
    : path_(std::move(path)), where_(where), diagnostics_(diagnostics), schema_(schema) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    diagnostics_.add(where_, path_.empty() ? "<document>" : path_,
                     fmt::format("expected a mapping of keys, got {}", describe(node)));
    return;
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    const ConfigLocation key_where = location_of(it->first);
    if (!it->first.IsScalar()) {
      diagnostics_.add(key_where, path_.empty() ? "<document>" : path_,
                       fmt::format("keys must be plain words, got {}", describe(it->first)));
      continue;
    }
    const std::string& key = it->first.Scalar();
    auto previous = std::find_if(entries_.begin(), entries_.end(),
                                 [&](const Entry& entry) { return entry.key == key; });
    if (previous != entries_.end()) {
      diagnostics_.add(key_where, full_key(key),
                       fmt::format("duplicate key (first set at line {})", previous->where.line));
      continue;
    }
    entries_.push_back(Entry{key, key_where, it->second});
  }
}

ConfigLocation YamlSection::location_of(const YAML::Node& node) const {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0 || mark.column < 0) return where_;
  return ConfigLocation{static_cast<std::size_t>(mark.line) + 1,
                        static_cast<std::size_t>(mark.column) + 1};
}

std::string YamlSection::full_key(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

bool YamlSection::failed(std::string_view key) const {
  return std::find(failed_keys_.begin(), failed_keys_.end(), key) != failed_keys_.end();
}

const YamlSection::Entry* YamlSection::find(std::string_view key) {
  if (std::find(known_keys_.begin(), known_keys_.end(), key) == known_keys_.end()) {
    known_keys_.emplace_back(key);
  }
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& entry) { return entry.key == key; });
  return it == entries_.end() ? nullptr : &*it;
}

void YamlSection::record(const ConfigKey& key, std::string type, std::string default_value) {
  if (schema_ == nullptr) return;
  schema_->push_back(KeySchema{
      full_key(key.name), std::move(type),
      key.shown_default.empty() ? std::move(default_value) : std::string(key.shown_default),
      std::string(key.about), owner_});
}

void YamlSection::fail(std::string_view key, std::string_view message) {
  auto it = std::find_if(entries_.begin(), entries_.end(),
                         [&](const Entry& entry) { return entry.key == key; });
  diagnostics_.add(it == entries_.end() ? where_ : it->where, full_key(key), message);
  failed_keys_.emplace_back(key);
}

std::optional<std::string> YamlSection::scalar(std::string_view key, std::string_view expectation) {
  const Entry* entry = find(key);
  // "key:" with no value (or null, ~) means the same as leaving the key out.
  if (entry == nullptr || entry->value.IsNull()) return std::nullopt;
  if (!entry->value.IsScalar()) {
    fail(key, fmt::format("expected {}, got {}", expectation, describe(entry->value)));
    return std::nullopt;
  }
  return entry->value.Scalar();
}

void YamlSection::read_string(const ConfigKey& key, std::string& out, const Check& check) {
  if (cataloguing()) record(key, "string", show_string(out));
  auto text = scalar(key.name, "a string");
  if (!text) return;
  if (check) {
    if (auto problem = check(*text)) return fail(key.name, *problem);
  }
  out = std::move(*text);
}

void YamlSection::read_secret(const ConfigKey& key, std::string& out, const Check& check) {
  const std::string file_key = std::string(key.name) + "_file";
  const std::string file_about = fmt::format(
      "A file holding the `{}` instead (a Kubernetes or Docker secret, a systemd credential): "
      "its content without a trailing line break, at most 64KiB. Not together with `{}`. Read at "
      "start and at each reload.",
      key.name, key.name);
  std::string written = out, path;
  read_string(key, written, check);
  read_string(ConfigKey(file_key, file_about), path);
  if (path.empty()) {
    out = std::move(written);
    return;
  }
  if (has(key.name)) {
    return fail(file_key, fmt::format("set either {} or {}, not both", key.name, file_key));
  }
  std::string secret;
  if (auto problem = read_secret_file(path, secret)) return fail(file_key, *problem);
  if (check) {
    if (auto problem = check(secret)) {
      return fail(file_key, fmt::format("the file's content: {}", *problem));
    }
  }
  out = std::move(secret);
}

void YamlSection::read_bool(const ConfigKey& key, bool& out) {
  static constexpr std::array<std::string_view, 2> kChoices{"true", "false"};
  if (cataloguing()) record(key, "bool", out ? "true" : "false");
  if (auto index = choice_index(key.name, kChoices)) out = *index == 0;
}

void YamlSection::read_duration(const ConfigKey& key_and_meaning, Duration& out, Duration min) {
  if (cataloguing()) {
    record(key_and_meaning,
           min == Duration{1} ? "duration" : fmt::format("duration (min {})", format_duration(min)),
           format_duration(out));
  }
  const std::string_view key = key_and_meaning.name;
  auto text = scalar(key, "a duration like 250ms, 5s, 1m or 1h");
  if (!text) return;
  auto duration = parse_duration(*text);
  if (!duration) {
    return fail(key, fmt::format("expected a duration like 250ms, 5s, 1m or 1h (a bare number is "
                                 "milliseconds), got {}",
                                 quote_for_message(*text)));
  }
  if (*duration < min) {
    return fail(key, fmt::format("must be at least {}, got {}", format_duration(min),
                                 quote_for_message(*text)));
  }
  out = *duration;
}

void YamlSection::read_byte_size(const ConfigKey& key_and_meaning, std::uint64_t& out,
                                 std::uint64_t min, std::uint64_t max) {
  if (cataloguing()) {
    std::string type = "size";
    if (min != 1) type += fmt::format(" (min {})", show_size_bound(min));
    if (max != std::numeric_limits<std::uint64_t>::max()) {
      type += fmt::format(" (max {})", show_size_bound(max));
    }
    record(key_and_meaning, std::move(type), format_byte_size(out));
  }
  const std::string_view key = key_and_meaning.name;
  auto text = scalar(key, "a size like 64MiB");
  if (!text) return;
  auto bytes = parse_byte_size(*text);
  if (!bytes) {
    return fail(key, fmt::format("expected a size like 64MiB, got {}", quote_for_message(*text)));
  }
  if (*bytes < min || *bytes > max) {
    const bool too_small = *bytes < min;
    return fail(key,
                fmt::format("must be at {} {}, got {}", too_small ? "least" : "most",
                            format_byte_size(too_small ? min : max), quote_for_message(*text)));
  }
  out = *bytes;
}

void YamlSection::read_byte_size(const ConfigKey& key, std::uint32_t& out, std::uint32_t min) {
  std::uint64_t bytes = out;
  read_byte_size(key, bytes, min, std::numeric_limits<std::uint32_t>::max());
  out = static_cast<std::uint32_t>(bytes);
}

void YamlSection::read_count(const ConfigKey& key_and_meaning, std::uint32_t& out,
                             std::uint32_t min) {
  constexpr std::uint32_t kMax = std::numeric_limits<std::uint32_t>::max();
  if (cataloguing()) {
    record(key_and_meaning, min == 1 ? "count" : fmt::format("count (min {})", min),
           std::to_string(out));
  }
  const std::string_view key = key_and_meaning.name;
  const std::string expectation = fmt::format("a whole number from {} to {}", min, kMax);
  auto text = scalar(key, expectation);
  if (!text) return;
  std::uint64_t value = 0;
  const char* end = text->data() + text->size();
  auto [parsed_end, error] = std::from_chars(text->data(), end, value);
  if (error != std::errc{} || parsed_end != end || value < min || value > kMax) {
    return fail(key, fmt::format("expected {}, got {}", expectation, quote_for_message(*text)));
  }
  out = static_cast<std::uint32_t>(value);
}

void YamlSection::read_string_list(const ConfigKey& key_and_meaning, std::vector<std::string>& out,
                                   const Check& check) {
  if (cataloguing()) record(key_and_meaning, "list", show_list(out));
  const std::string_view key = key_and_meaning.name;
  const Entry* entry = find(key);
  if (entry == nullptr || entry->value.IsNull()) return;
  if (!entry->value.IsSequence()) {
    return fail(key, fmt::format("expected a list of strings such as [\"a\", \"b\"], got {}",
                                 describe(entry->value)));
  }
  std::vector<std::string> values;
  bool all_valid = true;
  for (std::size_t i = 0; i < entry->value.size(); ++i) {
    const YAML::Node element = entry->value[i];
    std::optional<std::string> problem;
    if (!element.IsScalar()) {
      problem = fmt::format("expected a string, got {}", describe(element));
    } else if (element.Scalar().empty()) {
      problem = "must not be empty";
    } else if (check) {
      problem = check(element.Scalar());
    }
    if (problem) {
      diagnostics_.add(location_of(element), fmt::format("{}[{}]", full_key(key), i), *problem);
      all_valid = false;
      continue;
    }
    values.push_back(element.Scalar());
  }
  if (!all_valid) {
    failed_keys_.emplace_back(key);
    return;
  }
  out = std::move(values);
}

bool YamlSection::read_map(std::string_view key, const Check& check_name,
                           const MapItemReader& item) {
  const Entry* entry = find(key);
  if (entry == nullptr || entry->value.IsNull()) return false;
  if (!entry->value.IsMap()) {
    fail(key,
         fmt::format("expected a mapping such as {{name: value}}, got {}", describe(entry->value)));
    return false;
  }
  bool all_valid = true;
  for (auto it = entry->value.begin(); it != entry->value.end(); ++it) {
    ValueProblem problem;
    if (!it->first.IsScalar() || it->first.Scalar().empty()) {
      problem = "names must be non-empty strings";
    } else if (check_name) {
      problem = check_name(it->first.Scalar());
    }
    const std::string name = it->first.IsScalar() ? it->first.Scalar() : "?";
    if (!problem) problem = item(name, it->second);
    if (problem) {
      diagnostics_.add(location_of(it->first), fmt::format("{}.{}", full_key(key), name), *problem);
      all_valid = false;
    }
  }
  if (!all_valid) failed_keys_.emplace_back(key);
  return all_valid;
}

void YamlSection::read_string_map(const ConfigKey& key, StringMap& out, const Check& check_name,
                                  const Check& check_value) {
  if (cataloguing()) record(key, "map", "{}");
  StringMap values;
  const bool read = read_map(key.name, check_name,
                             [&](const std::string& name, const YAML::Node& value) -> ValueProblem {
                               if (!value.IsScalar()) {
                                 return fmt::format("expected a string, got {}", describe(value));
                               }
                               if (check_value) {
                                 if (auto problem = check_value(value.Scalar())) return problem;
                               }
                               values.emplace_back(name, value.Scalar());
                               return std::nullopt;
                             });
  if (read) out = std::move(values);
}

void YamlSection::read_string_list_map(const ConfigKey& key, StringListMap& out,
                                       const Check& check_name) {
  if (cataloguing()) record(key, "map", "{}");
  StringListMap values;
  const bool read = read_map(
      key.name, check_name, [&](const std::string& name, const YAML::Node& value) -> ValueProblem {
        std::vector<std::string> items;
        if (value.IsScalar()) {
          items.push_back(value.Scalar());
        } else if (value.IsSequence() && value.size() > 0) {
          for (const YAML::Node& element : value) {
            if (!element.IsScalar()) {
              return fmt::format("expected strings, got {}", describe(element));
            }
            items.push_back(element.Scalar());
          }
        } else {
          return fmt::format("expected a string or a non-empty list of strings, got {}",
                             describe(value));
        }
        values.emplace_back(name, std::move(items));
        return std::nullopt;
      });
  if (read) out = std::move(values);
}

std::optional<std::size_t> YamlSection::choice_index(std::string_view key,
                                                     std::span<const std::string_view> choices) {
  const std::string expectation = describe_choices(choices.data(), choices.size());
  auto text = scalar(key, expectation);
  if (!text) return std::nullopt;
  auto it = std::find(choices.begin(), choices.end(), *text);
  if (it == choices.end()) {
    fail(key, fmt::format("expected {}, got {}", expectation, quote_for_message(*text)));
    return std::nullopt;
  }
  return static_cast<std::size_t>(it - choices.begin());
}

void YamlSection::read_choice(const ConfigKey& key, std::string& out,
                              std::span<const std::string_view> choices) {
  if (cataloguing()) record(key, "enum", show_string(out));
  if (auto index = choice_index(key.name, choices)) out = std::string(choices[*index]);
}

void YamlSection::read_section(std::string_view key, const SectionReader& reader) {
  const Entry* entry = find(key);
  const YAML::Node node = entry == nullptr ? YAML::Node() : entry->value;
  YamlSection section(node, full_key(key), entry == nullptr ? where_ : entry->where, diagnostics_,
                      schema_);
  reader(section);
  section.finish();
}

void YamlSection::read_section_list(std::string_view key, const ListItemReader& reader) {
  const Entry* entry = find(key);
  if (entry == nullptr || entry->value.IsNull()) {
    if (schema_ == nullptr) return;
    YamlSection item(YAML::Node(), full_key(key) + "[]", where_, diagnostics_, schema_);
    reader(item, 0);
    return;
  }
  if (!entry->value.IsSequence()) {
    return fail(key, fmt::format("expected a list of mappings (one \"- key: value\" item each), "
                                 "got {}",
                                 describe(entry->value)));
  }
  for (std::size_t i = 0; i < entry->value.size(); ++i) {
    const YAML::Node element = entry->value[i];
    const std::string item_path = fmt::format("{}[{}]", full_key(key), i);
    if (!element.IsMap()) {
      diagnostics_.add(location_of(element), item_path,
                       fmt::format("expected a mapping of keys, got {}", describe(element)));
      continue;
    }
    YamlSection item(element, item_path, location_of(element), diagnostics_, schema_);
    reader(item, i);
    item.finish();
  }
}

bool YamlSection::has(std::string_view key) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&](const Entry& entry) { return entry.key == key && !entry.value.IsNull(); });
}

std::vector<std::string> YamlSection::keys() const {
  std::vector<std::string> keys;
  keys.reserve(entries_.size());
  for (const Entry& entry : entries_) keys.push_back(entry.key);
  return keys;
}

void YamlSection::accept_every_key() {
  for (const Entry& entry : entries_) known_keys_.push_back(entry.key);
}

void YamlSection::finish() {
  for (const auto& entry : entries_) {
    if (std::find(known_keys_.begin(), known_keys_.end(), entry.key) != known_keys_.end()) {
      continue;
    }
    std::string message = "unknown key";
    if (auto suggestion = closest_match(entry.key, known_keys_)) {
      message += fmt::format("; did you mean '{}'?", *suggestion);
    } else if (!known_keys_.empty()) {
      std::vector<std::string_view> names(known_keys_.begin(), known_keys_.end());
      message +=
          fmt::format(" (valid keys here: {})", describe_choices(names.data(), names.size()));
    }
    diagnostics_.add(entry.where, full_key(entry.key), message);
  }
}

}  // namespace lc
