#include "processors/common/record_key.hpp"

#include <stdexcept>

#include "config/yaml_section.hpp"
#include "core/machine_hostname.hpp"

namespace lc {

void read_record_key_options(YamlSection& item, RecordKeyOptions& options) {
  item.read_string({"key",
                    "A template naming whose budget a record uses (docs/fields.md, templates): "
                    "`\"{{ .container_name }}\"` gives each container its own. Empty: one for "
                    "all records.",
                    "\"\""},
                   options.key, [](std::string_view text) -> ValueProblem {
                     RecordTemplate parsed;
                     return RecordTemplate::parse(text, parsed);
                   });
  item.read_count({"max_keys",
                   "Keys remembered at most (each as a 16-byte digest, however long the key "
                   "renders); one more forgets the least recently seen, which then starts "
                   "afresh."},
                  options.max_keys);
}

RecordKey::RecordKey(const RecordKeyOptions& options) : host_(machine_hostname()) {
  if (auto problem = RecordTemplate::parse(options.key, template_)) {
    throw std::invalid_argument("key: " + *problem);
  }
}

void RecordKey::render(const LogRecord& record, std::string& out) const {
  out.clear();
  template_.render(RecordContext{record, host_}, out);
}

}  // namespace lc
