#include "inputs/file/files_input.hpp"

#include "inputs/file/file_input_config.hpp"
#include "inputs/file/file_path_claims.hpp"
#include "pipeline/file_checkpoints.hpp"
#include "pipeline/pipeline.hpp"
#include "processors/multiline/multiline_selection.hpp"

namespace lc::file_input {
namespace {

namespace asio = boost::asio;

FileInputHooks pipeline_hooks(const std::string& name, const InputBuildContext& context) {
  Pipeline& pipeline = context.pipeline;
  FileCheckpoints& checkpoints = context.file_checkpoints;
  FilePathClaims& claims = context.file_claims;
  FileInputHooks hooks;
  hooks.submit = [&pipeline,
                  &checkpoints](std::vector<LogRecord> records) -> asio::awaitable<void> {
    checkpoints.on_submitted(records);
    co_await pipeline.submit(std::move(records));
  };
  hooks.wait_for_read_room = [&pipeline] { return pipeline.wait_for_read_room(); };
  hooks.resume_points = [&checkpoints](const std::string& path) {
    return checkpoints.resume_points(path);
  };
  hooks.on_file_finished = [&checkpoints](const std::string& path, FileIdentity file) {
    checkpoints.on_file_finished(path, file);
  };
  hooks.on_file_gone = [&checkpoints](const std::string& path) { checkpoints.on_path_gone(path); };
  hooks.claim_path = [&claims, name](const std::string& path) { return claims.claim(path, name); };
  hooks.release_path = [&claims, name](const std::string& path) { claims.release(path, name); };
  return hooks;
}

// What the running input takes from its configuration.
FileInputOptions file_input_options(const FileInputConfig& config) {
  FileInputOptions options;
  options.include = config.include;
  options.exclude = config.exclude;
  options.poll_interval = config.poll_interval;
  options.rescan_interval = config.rescan_interval;
  options.max_open_files = config.max_open_files;
  options.start_at = config.start_at == FileInputConfig::StartAt::kEnd
                         ? TailedFileReader::StartAt::kEnd
                         : TailedFileReader::StartAt::kBeginning;
  options.reader.max_line_bytes = config.max_line_bytes;
  options.reader.rotate_wait = config.rotate_wait;
  for (const std::string& label : config.labels) {
    const std::size_t equals = label.find('=');
    options.labels[label.substr(0, equals)] =
        equals == std::string::npos ? std::string() : label.substr(equals + 1);
  }
  return options;
}

// inputs.<name>.multiline: the input's own keys, the same joining as a multiline processor.
std::optional<multiline::StreamJoining> own_multiline(const FileInputConfig& config,
                                                      FileInputMetrics& metrics) {
  if (config.multiline_start_pattern.empty()) return std::nullopt;
  multiline::RuleChoice rules;
  // negate: the pattern describes the continuation lines, and every other line opens.
  (config.multiline_negate ? rules.continue_pattern : rules.start) = config.multiline_start_pattern;
  multiline::StreamJoining joining;
  joining.rules = multiline::MultilineRules::compile(rules);
  joining.limits.max_lines = config.multiline_max_lines;
  joining.limits.flush_timeout = config.multiline_flush_timeout;
  joining.counters.joined = &metrics.multiline_records;
  joining.counters.truncated = &metrics.multiline_truncated;
  return joining;
}

}  // namespace

FilesInput::FilesInput(const InputSpec& spec, const InputBuildContext& context)
    : metrics_(context.metrics, spec.name) {
  const auto& config = spec.options_as<FileInputConfig>();
  FileInputOptions options = file_input_options(config);
  options.name = spec.name;
  // Its own multiline keys first, else the multiline processors whose `when` picks the file.
  const std::optional<multiline::StreamJoining> own = own_multiline(config, metrics_);
  if (!own) {
    multiline_ = std::make_unique<multiline::MultilineSelection>(
        context.config.processors, /*container_hints=*/false, context.metrics);
  }
  if (own || !multiline_->empty()) {
    options.multiline = [own, selection = multiline_.get()](const LogRecord& probe) {
      return own ? own : selection->for_stream(probe);
    };
  }
  input_ = std::make_unique<FileInput>(context.executor, context.watcher, std::move(options),
                                       pipeline_hooks(spec.name, context), &metrics_);
}

// The input first: its readers count into the metrics as they close.
FilesInput::~FilesInput() { input_.reset(); }

}  // namespace lc::file_input
