#pragma once

#include <string>
#include <string_view>

namespace lc {

// A key as a reader declares it: its name and what it means, which `log-capturer config schema`
// prints and tests/config/config_documentation_test.cpp finds word for word in
// docs/configuration.md. `shown_default` replaces the default read off the value a reader
// starts from where that is not what a user sees ("required", "<type>_<n>").
struct ConfigKey {
  // NOLINTNEXTLINE(google-explicit-constructor): a bare name is a key (internal reads)
  ConfigKey(const char* key_name) : name(key_name) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  ConfigKey(const std::string& key_name) : name(key_name) {}
  ConfigKey(std::string_view key_name, std::string_view meaning, std::string_view default_text = {})
      : name(key_name), about(meaning), shown_default(default_text) {}

  std::string_view name;
  std::string_view about;
  std::string_view shown_default;
};

// One key of the reference, as `log-capturer config schema` prints it.
struct KeySchema {
  std::string path;           // "sinks.<name>.batch.max_records"
  std::string type;           // "duration", "size (min 1MiB)", "count (min 0)", "enum", "list"
  std::string default_value;  // as a file would say it: "200ms", "\"\"", "[]", "required"
  std::string about;
  // The component type that declared it, where several types declare keys in one place
  // (processors[].*): keys of one name but other meanings are then told apart by it.
  std::string owner;
};

}  // namespace lc
