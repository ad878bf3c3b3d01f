#pragma once

#include <string>
#include <utility>
#include <vector>

#include "config/component_options.hpp"

namespace lc {

class YamlSection;

// processors: - type: fields (docs/configuration.md): operations on a record's fields, applied
// in this order whatever the order in the file: from_labels, copy, rename, set, add, remove,
// keep, to_message. Fields are named as selectors name them (`level`, `http.status`).
struct FieldsOptions : OptionsOf<FieldsOptions> {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  Pairs from_labels;  // container (or file) label -> field
  Pairs copy;         // field -> field
  Pairs rename;       // field -> field
  Pairs set;          // field -> template, always written
  Pairs add;          // field -> template, written where absent
  std::vector<std::string> remove;
  std::vector<std::string> keep;  // empty: keep everything
  enum class MessageFormat { kUnchanged, kJson, kLogfmt };
  MessageFormat to_message = MessageFormat::kUnchanged;

  bool operator==(const FieldsOptions&) const = default;
};

void read_fields_options(YamlSection& item, FieldsOptions& options);

}  // namespace lc
