#include "processors/fields/fields_processor.hpp"

#include <stdexcept>

#include "core/field_write.hpp"
#include "core/machine_hostname.hpp"
#include "core/record_template.hpp"
#include "processors/fields/message_rendering.hpp"

namespace lc {
namespace {

std::vector<std::pair<FieldPath, FieldPath>> moves(const FieldsOptions::Pairs& pairs) {
  std::vector<std::pair<FieldPath, FieldPath>> out;
  for (const auto& [from, to] : pairs)
    out.emplace_back(checked_fields_key(from), checked_fields_key(to));
  return out;
}

std::vector<std::pair<FieldPath, RecordTemplate>> writes(const FieldsOptions::Pairs& pairs) {
  std::vector<std::pair<FieldPath, RecordTemplate>> out;
  for (const auto& [key, text] : pairs) {
    RecordTemplate parsed;
    if (auto problem = RecordTemplate::parse(text, parsed)) {
      throw std::invalid_argument(key + ": " + *problem);
    }
    out.emplace_back(checked_fields_key(key), std::move(parsed));
  }
  return out;
}

// Writes `value` at `path`; false when the path goes through a value that is not a map.
bool write(RecordFields& fields, const FieldPath& path, FieldValue value) {
  FieldValue* target = writable_field(fields, path);
  if (target == nullptr) return false;
  *target = std::move(value);
  return true;
}

}  // namespace

FieldsProcessor::FieldsProcessor(std::string name, const FieldsOptions& options,
                                 ProcessorMetrics& metrics)
    : name_(std::move(name)),
      host_(machine_hostname()),
      copy_(moves(options.copy)),
      rename_(moves(options.rename)),
      set_(writes(options.set)),
      add_(writes(options.add)),
      to_message_(options.to_message),
      metrics_(metrics) {
  for (const auto& [label, key] : options.from_labels)
    from_labels_.emplace_back(label, checked_fields_key(key));
  for (const std::string& key : options.remove) remove_.push_back(checked_fields_key(key));
  for (const std::string& key : options.keep) keep_.push_back(checked_fields_key(key));
}

void FieldsProcessor::process(std::vector<LogRecord>& records) {
  for (LogRecord& record : records) {
    if (!apply(record)) metrics_.errors.inc();
  }
}

bool FieldsProcessor::apply(LogRecord& record) const {
  bool ok = take_labels(record);
  ok = move_fields(record, copy_, true) && ok;
  ok = move_fields(record, rename_, false) && ok;
  ok = write_templates(record, set_, true) && ok;
  ok = write_templates(record, add_, false) && ok;
  for (const FieldPath& path : remove_) erase_field(record.fields, path);
  if (!keep_.empty()) keep_only(record);
  if (to_message_ != FieldsOptions::MessageFormat::kUnchanged) render_message(record);
  return ok;
}

bool FieldsProcessor::take_labels(LogRecord& record) const {
  const auto* labels = record_labels(record);
  if (labels == nullptr) return true;
  bool ok = true;
  for (const auto& [label, path] : from_labels_) {
    const auto found = labels->find(label);
    if (found != labels->end()) ok = write(record.fields, path, FieldValue(found->second)) && ok;
  }
  return ok;
}

bool FieldsProcessor::move_fields(LogRecord& record, const std::vector<Move>& moves,
                                  bool keep_source) const {
  bool ok = true;
  for (const auto& [from, to] : moves) {
    const FieldValue* source = read_path_field(from, record.fields.get());
    if (source == nullptr || from == to) continue;
    FieldValue value = *source;  // a copy: writing may reallocate the map holding it
    if (!write(record.fields, to, std::move(value))) {
      ok = false;  // the source stays: nothing is lost when the target cannot be written
      continue;
    }
    // Neither lies inside the other (the config reader refuses that): the source is intact.
    if (!keep_source) erase_field(record.fields, from);
  }
  return ok;
}

bool FieldsProcessor::write_templates(LogRecord& record, const std::vector<Write>& writes,
                                      bool overwrite) const {
  bool ok = true;
  for (const auto& [path, value] : writes) {
    if (!overwrite && read_path_field(path, record.fields.get()) != nullptr) continue;
    ok = write(record.fields, path, FieldValue(value.render(RecordContext{record, host_}))) && ok;
  }
  return ok;
}

void FieldsProcessor::keep_only(LogRecord& record) const {
  if (record.fields.empty()) return;
  RecordFields kept;
  for (const FieldPath& path : keep_) {
    if (const FieldValue* value = read_path_field(path, record.fields.get())) {
      write(kept, path, *value);  // cannot fail: `kept` holds only maps along kept paths
    }
  }
  record.fields = std::move(kept);
}

void FieldsProcessor::render_message(LogRecord& record) const {
  const FieldValue* fields = record.fields.get();
  if (fields == nullptr) return;
  if (to_message_ == FieldsOptions::MessageFormat::kJson) {
    record.message.clear();
    fields->append_json(record.message);
  } else {
    record.message = render_logfmt(*fields);
  }
  record.valid_utf8 = false;  // rebuilt from fields that may hold any bytes: sinks check again
}

}  // namespace lc
