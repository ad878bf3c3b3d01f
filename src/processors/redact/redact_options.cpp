#include "processors/redact/redact_options.hpp"

#include "config/yaml_section.hpp"
#include "core/field_path.hpp"
#include "core/user_regex.hpp"
#include "processors/redact/redact_presets.hpp"

namespace lc {

void read_redact_options(YamlSection& item, RedactOptions& options) {
  item.read_string_list(
      {"presets", "Built-in secret patterns: " + std::string(redact_preset_names()) +
                      "; or `all`. docs/configuration.md shows what each matches."},
      options.presets, [](std::string_view name) -> ValueProblem {
        if (name == "all" || is_redact_preset(name)) return std::nullopt;
        return "unknown preset \"" + std::string(name) + "\"; known: all, " +
               std::string(redact_preset_names());
      });
  item.read_string_map(
      {"patterns",
       "Custom patterns, name to regex (RE2), `{order_id: 'ORD-\\d{8}'}`; captures named "
       "`secret...` narrow the replacement to the one that matched. The name labels the match "
       "counter."},
      options.patterns,
      [](std::string_view name) -> ValueProblem {
        if (name == "fields") return "\"fields\" names the count of redacted field values";
        return std::nullopt;
      },
      check_user_regex);
  item.read_string({"replace",
                    "What replaces a secret: `mask` ('*' per character), `hash` (keyed "
                    "HMAC-SHA-256, `[hash:<16 hex>]`: equal secrets stay correlatable), or any "
                    "other text.",
                    "[REDACTED]"},
                   options.replace);
  item.read_secret({"hash_key",
                    "The key of `replace: hash` (required with it; `hash_key_file` reads it from "
                    "a file). Keep it secret: with it, guesses of a short secret can be checked."},
                   options.hash_key);
  item.read_bool({"message", "Redact the message."}, options.message);
  item.read_string_list({"fields",
                         "Fields whose values are secrets, replaced whole (every string at or "
                         "below them; numbers stay), `[password, http.headers.authorization]`."},
                        options.fields, [](std::string_view key) {
                          FieldPath path;
                          return parse_fields_key(key, path);
                        });
  if (item.cataloguing()) return;
  if (options.presets.empty() && options.patterns.empty()) {
    item.fail("presets", "a redact processor needs presets, patterns or both");
  }
  if (!options.message && options.fields.empty()) {
    item.fail("message", "with message: false, list the fields to redact");
  }
  if (options.replace == "hash" && options.hash_key.empty()) {
    item.fail("hash_key", "replace: hash needs hash_key (or hash_key_file)");
  }
  if (options.replace != "hash" && !options.hash_key.empty()) {
    item.fail("hash_key", "is only read with replace: hash");
  }
}

}  // namespace lc
