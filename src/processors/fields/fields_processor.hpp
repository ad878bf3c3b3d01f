#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/field_path.hpp"
#include "core/record_template.hpp"
#include "processors/fields/fields_options.hpp"
#include "processors/processor.hpp"
#include "processors/processor_metrics.hpp"

namespace lc {

// processors: - type: fields. Adds, sets, copies, renames, removes and keeps fields, takes
// labels into fields and re-renders the message from them, in the order FieldsOptions gives.
// A write through a value that is not a map (`set: {http.status: ...}` where `http` is a
// string) is skipped and counted in errors. Immutable: safe on several threads at once.
class FieldsProcessor final : public Processor {
 public:
  FieldsProcessor(std::string name, const FieldsOptions& options, ProcessorMetrics& metrics);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  using Move = std::pair<FieldPath, FieldPath>;
  using Write = std::pair<FieldPath, RecordTemplate>;

  // Each returns whether it went through a value that is not a map.
  bool apply(LogRecord& record) const;
  bool take_labels(LogRecord& record) const;
  bool move_fields(LogRecord& record, const std::vector<Move>& moves, bool keep_source) const;
  bool write_templates(LogRecord& record, const std::vector<Write>& writes, bool overwrite) const;
  void keep_only(LogRecord& record) const;
  void render_message(LogRecord& record) const;

  std::string name_;
  std::string host_;
  std::vector<std::pair<std::string, FieldPath>> from_labels_;
  std::vector<Move> copy_;
  std::vector<Move> rename_;
  std::vector<Write> set_;
  std::vector<Write> add_;
  std::vector<FieldPath> remove_;
  std::vector<FieldPath> keep_;
  FieldsOptions::MessageFormat to_message_;
  ProcessorMetrics& metrics_;
};

}  // namespace lc
