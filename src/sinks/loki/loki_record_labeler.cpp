#include "sinks/loki/loki_record_labeler.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "core/json_string_writer.hpp"
#include "sinks/common/utf8_repair.hpp"

namespace lc {
namespace {

LokiFieldSpec parse_entry(std::string_view entry, const char* list) {
  LokiFieldSpec spec;
  if (auto problem = parse_loki_field(entry, spec)) {
    throw std::invalid_argument("loki " + std::string(list) + ": " + *problem);
  }
  return spec;
}

// The defaults, then each configured label (replacing a default of the same name), minus the
// dropped names, sorted by name.
std::vector<LokiFieldSpec> label_specs(const LokiSinkOptions& config) {
  std::vector<LokiFieldSpec> specs;
  const auto set = [&](LokiFieldSpec spec) {
    auto same = std::find_if(specs.begin(), specs.end(),
                             [&](const LokiFieldSpec& known) { return known.name == spec.name; });
    if (same != specs.end()) {
      *same = std::move(spec);
    } else {
      specs.push_back(std::move(spec));
    }
  };
  for (const std::string_view entry : kDefaultLokiLabels) set(parse_entry(entry, "labels"));
  for (const std::string& entry : config.labels) set(parse_entry(entry, "labels"));
  std::erase_if(specs, [&](const LokiFieldSpec& spec) {
    return std::find(config.drop_labels.begin(), config.drop_labels.end(), spec.name) !=
           config.drop_labels.end();
  });
  std::sort(specs.begin(), specs.end(),
            [](const LokiFieldSpec& a, const LokiFieldSpec& b) { return a.name < b.name; });
  return specs;
}

// {"k":"v",...} from pairs.
std::string json_object(const std::vector<LokiLabelPair>& pairs) {
  std::string json = "{";
  for (const LokiLabelPair& pair : pairs) {
    if (json.size() > 1) json += ',';
    append_json_string(json, pair.name);
    json += ':';
    append_json_string(json, pair.value);
  }
  json += '}';
  return json;
}

}  // namespace

void append_loki_label_value(std::string& out, std::string_view value) {
  out += '"';
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += '"';
}

std::size_t LokiRecordLabeler::CacheKeyHash::operator()(const CacheKey& key) const noexcept {
  std::size_t hash = std::hash<const void*>()(key.container) ^
                     (std::hash<const void*>()(key.file) << 1) ^
                     static_cast<std::size_t>(key.stream);
  if (!key.field_values.empty()) hash ^= std::hash<std::string>()(key.field_values) << 2;
  return hash;
}

LokiRecordLabeler::LokiRecordLabeler(const LokiSinkOptions& config, std::string host)
    : labels_(label_specs(config)), host_(std::move(host)) {
  for (const std::string& entry : config.structured_metadata) {
    structured_metadata_.push_back(parse_entry(entry, "structured_metadata"));
  }
  for (const auto* specs : {&labels_, &structured_metadata_}) {
    for (const LokiFieldSpec& spec : *specs) {
      if (spec.value.reads(FieldPath::Root::kFields)) field_templates_.push_back(&spec.value);
    }
  }
}

std::vector<std::string> LokiRecordLabeler::label_names() const {
  std::vector<std::string> names;
  for (const LokiFieldSpec& spec : labels_) names.push_back(spec.name);
  return names;
}

const LokiStreamAttributes& LokiRecordLabeler::attributes_for(const LogRecord& record) {
  CacheKey key{record.container.get(), record.file_source.get(), record.stream, {}};
  if (!field_templates_.empty()) key.field_values = render_field_values(record);
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    it = cache_
             .emplace(std::move(key),
                      CacheEntry{record.container, record.file_source, render(record)})
             .first;
  }
  return it->second.attributes;
}

std::string LokiRecordLabeler::render_field_values(const LogRecord& record) const {
  std::string values;
  for (const RecordTemplate* value : field_templates_) {
    value->render(RecordContext{record, host_}, values);
    values += '\0';
  }
  return values;
}

void LokiRecordLabeler::trim_cache() {
  if (cache_.size() > kMaxCachedEntries) cache_.clear();
}

std::string LokiRecordLabeler::render_template(const RecordTemplate& value,
                                               const LogRecord& record) const {
  std::string text = value.render(RecordContext{record, host_});
  std::string scratch;
  const std::string_view valid = as_valid_utf8(text, scratch);
  return valid.data() == text.data() ? text : std::string(valid);
}

LokiStreamAttributes LokiRecordLabeler::render(const LogRecord& record) const {
  LokiStreamAttributes attributes;
  for (const LokiFieldSpec& spec : labels_) {
    std::string value = render_template(spec.value, record);
    if (!value.empty()) attributes.labels.push_back({spec.name, std::move(value)});
  }
  if (attributes.labels.empty()) {
    attributes.labels.push_back(
        {std::string(kLokiFallbackLabelName), std::string(kLokiFallbackLabelValue)});
  }
  attributes.labels_text.push_back('{');  // (not `= "{"`: GCC 12 -Wrestrict false positive)
  for (const LokiLabelPair& label : attributes.labels) {
    if (attributes.labels_text.size() > 1) attributes.labels_text += ',';
    attributes.labels_text += label.name;
    attributes.labels_text += '=';
    append_loki_label_value(attributes.labels_text, label.value);
  }
  attributes.labels_text += '}';
  attributes.labels_json = json_object(attributes.labels);
  for (const LokiFieldSpec& spec : structured_metadata_) {
    std::string value = render_template(spec.value, record);
    if (!value.empty()) attributes.structured_metadata.push_back({spec.name, std::move(value)});
  }
  if (!attributes.structured_metadata.empty()) {
    attributes.structured_metadata_json = json_object(attributes.structured_metadata);
  }
  return attributes;
}

}  // namespace lc
