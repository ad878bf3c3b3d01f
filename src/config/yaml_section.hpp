#pragma once

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/agent_config.hpp"
#include "config/config_diagnostics.hpp"
#include "config/config_key.hpp"
#include "config/config_value_checks.hpp"

namespace lc {

template <typename Enum>
struct EnumChoice {
  std::string_view name;
  Enum value;
};

// One YAML mapping of the config (the root or a section), read key by key into typed fields.
// Every key a reader asks for becomes known; finish() reports keys nobody asked for, with a
// "did you mean" hint. Problems go to the shared diagnostics, and the field keeps its default,
// so one pass reports every mistake. An absent key, a key with an empty value ("key:", null,
// ~) and an absent or empty section all read as the defaults.
class YamlSection {
 public:
  using Check = std::function<ValueProblem(std::string_view)>;
  using SectionReader = std::function<void(YamlSection&)>;

  // `schema`, when set, receives every key read, with its type, the value the reader started
  // from (its default) and its meaning: a dry read of no file lists the reference
  // (config_schema()).
  YamlSection(const YAML::Node& node, std::string path, ConfigLocation where,
              ConfigDiagnostics& diagnostics, std::vector<KeySchema>* schema = nullptr);

  void read_string(const ConfigKey& key, std::string& out, const Check& check = {});
  // A secret: `key` itself, or the content of the file named by `<key>_file` (not both).
  // `check` sees the value (whichever way it came); messages never repeat it.
  void read_secret(const ConfigKey& key, std::string& out, const Check& check = {});
  void read_bool(const ConfigKey& key, bool& out);
  void read_duration(const ConfigKey& key, Duration& out, Duration min = Duration{1});
  void read_byte_size(const ConfigKey& key, std::uint64_t& out, std::uint64_t min = 1,
                      std::uint64_t max = std::numeric_limits<std::uint64_t>::max());
  void read_byte_size(const ConfigKey& key, std::uint32_t& out, std::uint32_t min = 1);
  void read_count(const ConfigKey& key, std::uint32_t& out, std::uint32_t min = 1);
  // A list of non-empty strings.
  void read_string_list(const ConfigKey& key, std::vector<std::string>& out,
                        const Check& check = {});
  // A mapping of names to strings (`{status: int, bytes: int}`), in file order. `check_name`
  // and `check_value` see each name and value.
  using StringMap = std::vector<std::pair<std::string, std::string>>;
  void read_string_map(const ConfigKey& key, StringMap& out, const Check& check_name = {},
                       const Check& check_value = {});
  // A mapping of names to a string or a list of strings (`{level: [error, fatal], app: web}`).
  using StringListMap = std::vector<std::pair<std::string, std::vector<std::string>>>;
  void read_string_list_map(const ConfigKey& key, StringListMap& out, const Check& check_name = {});
  // One of `choices`; the message for anything else lists them all.
  void read_choice(const ConfigKey& key, std::string& out,
                   std::span<const std::string_view> choices);
  template <typename Enum>
  void read_enum(const ConfigKey& key, Enum& out, std::span<const EnumChoice<Enum>> choices);
  // A nested mapping, read by `reader` and then checked for unknown keys.
  void read_section(std::string_view key, const SectionReader& reader);

  // A list of mappings ("- key: value" items), each read by `reader` as section "key[i]" and
  // then checked for unknown keys. For the key catalog, an absent list is read once, as
  // "key[]", so that its keys are listed too.
  using ListItemReader = std::function<void(YamlSection&, std::size_t index)>;
  void read_section_list(std::string_view key, const ListItemReader& reader);
  // Where this section starts in the file.
  ConfigLocation where() const { return where_; }
  // Whether `key` is set to something other than null.
  bool has(std::string_view key) const;
  // Every key written in this mapping, in file order (for sections whose keys are names).
  std::vector<std::string> keys() const;
  // Whether a problem with `key` was reported already.
  bool failed(std::string_view key) const;

  // Records a problem with `key` (at the key if it is set, else at this section).
  void fail(std::string_view key, std::string_view message);
  // Records "<lower_key> (value) must not exceed <upper_key> (value)" when lower > upper, unless
  // either value was already reported as wrong.
  template <typename T>
  void require_not_above(std::string_view lower_key, T lower, std::string_view upper_key, T upper,
                         std::string (*show)(T));

  // Takes every key as known: for a section whose type is unknown, one error is enough.
  void accept_every_key();

  // Reports every key of this mapping that no read_* asked for. Called once, after reading.
  void finish();

  const std::string& path() const { return path_; }
  // The names of the inputs the file declares (inputs.<name>), once inputs are read.
  const std::vector<std::string>& input_names() const { return diagnostics_.input_names(); }
  void declare_input(std::string name) { diagnostics_.declare_input(std::move(name)); }
  // Whether this is a dry read that lists the keys (config_schema()), not a file's.
  bool cataloguing() const { return schema_ != nullptr; }
  // In a dry read: the type whose keys are read next (KeySchema::owner).
  void set_catalogue_owner(std::string owner) { owner_ = std::move(owner); }

 private:
  struct Entry {
    std::string key;
    ConfigLocation where;
    YAML::Node value;
  };

  const Entry* find(std::string_view key);  // also registers `key` as known
  // In a dry read: `key` goes to the schema with its type and default.
  void record(const ConfigKey& key, std::string type, std::string default_value);
  // The scalar text of `key`, or nullopt when absent or reported as not a scalar.
  std::optional<std::string> scalar(std::string_view key, std::string_view expectation);
  // Each name and value node of the mapping under `key` to `item`, which returns a problem (then
  // the key is failed and `out` unchanged); false when absent or not a mapping.
  using MapItemReader = std::function<ValueProblem(const std::string&, const YAML::Node&)>;
  bool read_map(std::string_view key, const Check& check_name, const MapItemReader& item);
  std::optional<std::size_t> choice_index(std::string_view key,
                                          std::span<const std::string_view> choices);
  std::string full_key(std::string_view key) const;
  ConfigLocation location_of(const YAML::Node& node) const;

  std::string path_;
  ConfigLocation where_;
  ConfigDiagnostics& diagnostics_;
  std::vector<KeySchema>* schema_;
  std::string owner_;
  std::vector<Entry> entries_;
  std::vector<std::string> known_keys_;
  std::vector<std::string> failed_keys_;
};

template <typename Enum>
void YamlSection::read_enum(const ConfigKey& key, Enum& out,
                            std::span<const EnumChoice<Enum>> choices) {
  std::vector<std::string_view> names;
  names.reserve(choices.size());
  for (const auto& choice : choices) names.push_back(choice.name);
  if (cataloguing()) {
    auto current =
        std::find_if(choices.begin(), choices.end(),
                     [&](const EnumChoice<Enum>& choice) { return choice.value == out; });
    record(key, "enum", current == choices.end() ? "" : std::string(current->name));
  }
  if (auto index = choice_index(key.name, names)) out = choices[*index].value;
}

template <typename T>
void YamlSection::require_not_above(std::string_view lower_key, T lower, std::string_view upper_key,
                                    T upper, std::string (*show)(T)) {
  if (!(upper < lower) || failed(lower_key) || failed(upper_key)) return;
  const bool lower_set = std::any_of(entries_.begin(), entries_.end(),
                                     [&](const Entry& entry) { return entry.key == lower_key; });
  fail(lower_set ? lower_key : upper_key, std::string(lower_key) + " (" + show(lower) +
                                              ") must not exceed " + std::string(upper_key) + " (" +
                                              show(upper) + ")");
}

}  // namespace lc
