#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/log_rate_limiter.hpp"
#include "processors/lua/lua_options.hpp"
#include "processors/lua/lua_sandbox.hpp"
#include "processors/processor.hpp"
#include "processors/processor_metrics.hpp"

namespace lc {

// processors: - type: lua. Calls the script's function on each record: the record passes
// changed, is dropped (nil) or becomes several (a list); or, in batch mode, on the list of a
// source's records read together, which becomes the list returned. An error in the script (or a
// call stopped at max_instructions, or out of its memory) is counted and logged with the script's
// line; the record then passes unchanged or is dropped, per on_error. Each input thread takes a
// Lua state of its own from a pool (a state is not thread-safe), made on first need.
class LuaProcessor final : public Processor {
 public:
  static constexpr std::size_t kMaxBatchRecords = 256;  // records per call in batch mode

  // Throws std::invalid_argument when the script does not load (the config reader has said so).
  LuaProcessor(std::string name, const LuaOptions& options, ProcessorMetrics& metrics);
  ~LuaProcessor() override;

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  std::unique_ptr<LuaSandbox> acquire();
  void release(std::unique_ptr<LuaSandbox> sandbox);
  // The records `record` becomes (appended to `out`).
  void run(LuaSandbox& sandbox, LogRecord& record, std::vector<LogRecord>& out);
  // mode: batch: the records `records` become, in one call.
  void run_batch(LuaSandbox& sandbox, std::span<LogRecord> records, std::vector<LogRecord>& out);
  // Counts the `records` of a failed call (`what` names them) and logs it, rate-limited.
  void report(const std::string& problem, std::string_view what, std::size_t records);

  std::string name_;
  LuaOptions options_;
  ProcessorMetrics& metrics_;
  LogRateLimiter error_log_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<LuaSandbox>> idle_;
};

}  // namespace lc
