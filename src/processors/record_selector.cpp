#include "processors/record_selector.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <stdexcept>

#include "core/label_selector.hpp"
#include "core/record_template.hpp"

namespace lc {
namespace {

bool contains(const std::vector<std::string>& list, const char* value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool any_glob_matches(const std::vector<std::string>& globs, const std::string& value) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
    return ::fnmatch(glob.c_str(), value.c_str(), 0) == 0;
  });
}

}  // namespace

RecordSelector::RecordSelector(const RecordSelectorConfig& config)
    : config_(config), everything_(config.empty()) {
  if (!config_.sources.empty()) {
    want_docker_ = contains(config_.sources, "docker");
    want_file_ = contains(config_.sources, "files") || contains(config_.sources, "file");
    for (const std::string& source : config_.sources) {
      if (source != "docker" && source != "files" && source != "file") {
        input_names_.push_back(source);
      }
    }
  }
  if (!config_.streams.empty()) {
    want_stdout_ = contains(config_.streams, "stdout");
    want_stderr_ = contains(config_.streams, "stderr");
  }
  if (!config_.message.empty()) message_ = UserRegex::compile_checked(config_.message);
  for (const auto& [key, values] : config_.fields) {
    FieldCondition& condition = fields_.emplace_back();
    if (auto problem = parse_fields_key(key, condition.path)) {
      throw std::invalid_argument("fields: " + key + ": " + *problem);
    }
    condition.values = values;
  }
}

bool RecordSelector::from_named_input(const LogRecord& record) const {
  if (input_names_.empty()) return false;
  const std::string* input = record.file_source != nullptr ? &record.file_source->input
                             : record.container != nullptr ? &record.container->input
                                                           : nullptr;
  return input != nullptr &&
         std::find(input_names_.begin(), input_names_.end(), *input) != input_names_.end();
}

bool RecordSelector::matches_source(const LogRecord& record) const {
  if (everything_) return true;
  const bool from_file = record.file_source != nullptr;
  const ContainerMetadata* container = record.container.get();
  if (!(from_file ? want_file_ : want_docker_) && !from_named_input(record)) return false;
  if (!(record.stream == LogStream::kStderr ? want_stderr_ : want_stdout_)) return false;
  if (!config_.container_names.empty() &&
      (container == nullptr || !any_glob_matches(config_.container_names, container->name))) {
    return false;
  }
  if (!config_.images.empty() &&
      (container == nullptr || !any_glob_matches(config_.images, container->image))) {
    return false;
  }
  if (!config_.files.empty() &&
      (!from_file || !any_glob_matches(config_.files, record.file_source->path))) {
    return false;
  }
  if (!config_.labels.empty()) {
    const std::map<std::string, std::string>* labels =
        container != nullptr ? &container->labels
                             : (from_file ? &record.file_source->labels : nullptr);
    if (labels == nullptr || std::none_of(config_.labels.begin(), config_.labels.end(),
                                          [&](const std::string& selector) {
                                            return label_selector_matches(selector, *labels);
                                          })) {
      return false;
    }
  }
  return true;
}

bool RecordSelector::matches_fields(const LogRecord& record) const {
  if (fields_.empty()) return true;
  const FieldValue* fields = record.fields.get();
  if (fields == nullptr) return false;
  return std::all_of(fields_.begin(), fields_.end(), [&](const FieldCondition& condition) {
    const FieldValue* value = read_path_field(condition.path, fields);
    if (value == nullptr || value->type() == FieldValue::Type::kMap ||
        value->type() == FieldValue::Type::kList || value->is_null()) {
      return false;
    }
    const std::string text = value->text();
    return std::find(condition.values.begin(), condition.values.end(), text) !=
           condition.values.end();
  });
}

}  // namespace lc
