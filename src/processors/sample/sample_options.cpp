#include "processors/sample/sample_options.hpp"

#include "config/record_selector_reader.hpp"
#include "config/yaml_section.hpp"

namespace lc {

void read_sample_options(YamlSection& item, SampleOptions& options) {
  read_record_key_options(item, options.key);
  item.read_count({"rate",
                   "Keep 1 record in this many, per key: the first, then every rate-th "
                   "(required, at least 2).",
                   "required"},
                  options.rate, 2);
  const bool keep_written = item.has("always_keep");
  RecordSelectorConfig keep;
  std::size_t keys = 0;  // written in always_keep (a key that failed still counts)
  item.read_section("always_keep", [&](YamlSection& section) {
    keys = section.keys().size();
    read_record_selector(section, keep);
  });
  if (keep_written) {
    if (keys == 0) {
      item.fail("always_keep", "selects every record: set at least one key, or remove it");
    }
    options.always_keep = std::move(keep);
  }
  if (!item.cataloguing() && options.rate == 0 && !item.failed("rate")) {
    item.fail("rate", "a sample needs a rate");
  }
}

}  // namespace lc
