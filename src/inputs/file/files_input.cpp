#include "inputs/file/files_input.hpp"

#include "inputs/file/file_input_config.hpp"
#include "inputs/file/file_path_claims.hpp"
#include "pipeline/file_checkpoints.hpp"
#include "pipeline/pipeline.hpp"

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
  if (!config.multiline_start_pattern.empty()) {
    MultilineOptions multiline;
    multiline.start_pattern = config.multiline_start_pattern;
    multiline.negate = config.multiline_negate;
    multiline.max_lines = config.multiline_max_lines;
    multiline.flush_timeout = config.multiline_flush_timeout;
    options.multiline = multiline;
  }
  return options;
}

}  // namespace

FilesInput::FilesInput(const InputSpec& spec, const InputBuildContext& context)
    : metrics_(context.metrics, spec.name) {
  FileInputOptions options = file_input_options(spec.options_as<FileInputConfig>());
  options.name = spec.name;
  input_ = std::make_unique<FileInput>(context.executor, context.watcher, std::move(options),
                                       pipeline_hooks(spec.name, context), &metrics_);
}

// The input first: its readers count into the metrics as they close.
FilesInput::~FilesInput() { input_.reset(); }

}  // namespace lc::file_input
