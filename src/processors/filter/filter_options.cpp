#include "processors/filter/filter_options.hpp"

#include "config/record_selector_reader.hpp"
#include "config/yaml_section.hpp"

namespace lc {
namespace {

// The selector under `key`, if written; `keys`: how many keys it sets.
std::optional<RecordSelectorConfig> read_selector(YamlSection& item, std::string_view key,
                                                  std::size_t& keys) {
  const bool written = item.has(key);
  RecordSelectorConfig selector;
  item.read_section(key, [&](YamlSection& section) {
    keys = section.keys().size();
    read_record_selector(section, selector);
  });
  if (!written) return std::nullopt;
  return selector;
}

}  // namespace

void read_filter_options(YamlSection& item, FilterOptions& options) {
  std::size_t include_keys = 0, exclude_keys = 0;
  options.include = read_selector(item, "include", include_keys);
  options.exclude = read_selector(item, "exclude", exclude_keys);
  if (!options.include && !options.exclude) {
    item.fail("type", "a filter needs include, exclude or both");
  }
  // An empty selector matches every record: exclude: {} would drop everything.
  if (options.include && include_keys == 0) {
    item.fail("include", "matches every record: set at least one key, or remove include");
  }
  if (options.exclude && exclude_keys == 0) {
    item.fail("exclude", "matches every record (so drops them all): set at least one key");
  }
}

}  // namespace lc
