#include "processors/lua/lua_processor.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <lua.hpp>
#include <stdexcept>

#include "processors/lua/lua_record_codec.hpp"

namespace lc {
namespace {

std::string chunk_name(const LuaOptions& options) {
  return options.file.empty() ? "inline script" : options.file;
}

}  // namespace

LuaProcessor::LuaProcessor(std::string name, const LuaOptions& options, ProcessorMetrics& metrics)
    : name_(std::move(name)),
      options_(options),
      metrics_(metrics),
      error_log_(std::chrono::seconds(10)) {
  std::unique_ptr<LuaSandbox> first = acquire();  // fails now rather than on the first record
  if (first->problem()) throw std::invalid_argument("lua: " + *first->problem());
  release(std::move(first));
}

LuaProcessor::~LuaProcessor() = default;

std::unique_ptr<LuaSandbox> LuaProcessor::acquire() {
  {
    const std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<LuaSandbox> sandbox = std::move(idle_.back());
      idle_.pop_back();
      return sandbox;
    }
  }
  return std::make_unique<LuaSandbox>(
      options_.script, chunk_name(options_), options_.function,
      LuaSandbox::Limits{options_.max_instructions, options_.max_memory_bytes});
}

void LuaProcessor::release(std::unique_ptr<LuaSandbox> sandbox) {
  const std::lock_guard lock(mutex_);
  idle_.push_back(std::move(sandbox));
}

void LuaProcessor::report(const std::string& problem, std::string_view what, std::size_t records) {
  metrics_.errors.inc(records);
  const std::lock_guard lock(mutex_);
  if (auto suppressed = error_log_.admit()) {
    spdlog::warn("processor {}: {} ({} {}; {} more such errors not logged)", name_, problem, what,
                 options_.on_error == LuaOptions::OnError::kKeep ? "kept" : "dropped", *suppressed);
  }
}

void LuaProcessor::run(LuaSandbox& sandbox, LogRecord& record, std::vector<LogRecord>& out) {
  lua_State* state = sandbox.state();
  sandbox.push_function();
  push_record(state, record);
  std::optional<std::string> problem = sandbox.call_pushed();
  std::vector<LogRecord> made;
  if (!problem) problem = pop_records(state, record, made);
  if (!problem) {
    std::move(made.begin(), made.end(), std::back_inserter(out));
    return;
  }
  lua_settop(state, 0);
  report(*problem, "record", 1);
  if (options_.on_error == LuaOptions::OnError::kKeep) out.push_back(std::move(record));
}

void LuaProcessor::run_batch(LuaSandbox& sandbox, std::span<LogRecord> records,
                             std::vector<LogRecord>& out) {
  lua_State* state = sandbox.state();
  push_batch(state, records);  // the places, then the list
  sandbox.push_function();
  lua_insert(state, -2);  // the function below its argument
  std::optional<std::string> problem = sandbox.call_pushed(records.size());
  if (!problem) problem = pop_batch(state, records, out);
  if (!problem) return;
  lua_settop(state, 0);
  report(*problem, "batch of " + std::to_string(records.size()) + " records", records.size());
  if (options_.on_error == LuaOptions::OnError::kKeep) {
    std::move(records.begin(), records.end(), std::back_inserter(out));
  }
}

void LuaProcessor::process(std::vector<LogRecord>& records) {
  std::unique_ptr<LuaSandbox> sandbox = acquire();
  if (sandbox->problem()) {  // cannot happen for a script that loaded once; never lose records
    metrics_.errors.inc(records.size());
    return;
  }
  std::vector<LogRecord> out;
  out.reserve(records.size());
  const std::size_t before = records.size();
  if (options_.mode == LuaOptions::Mode::kBatch) {
    // Lists of a bounded size: what a call's tables take, and how long a runaway call may run
    // (max_instructions per record), stay bounded however many records one read brings.
    for (std::size_t first = 0; first < records.size(); first += kMaxBatchRecords) {
      const std::size_t count = std::min(kMaxBatchRecords, records.size() - first);
      run_batch(*sandbox, std::span<LogRecord>(records).subspan(first, count), out);
    }
  } else {
    for (LogRecord& record : records) run(*sandbox, record, out);
  }
  release(std::move(sandbox));
  if (out.size() < before) metrics_.dropped.inc(before - out.size());
  records = std::move(out);
}

}  // namespace lc
