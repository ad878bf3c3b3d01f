#pragma once

#include <cstdint>
#include <string>

#include "config/component_options.hpp"

namespace lc {

class YamlSection;

// processors: - type: lua (docs/configuration.md): a user function called per record or per
// batch.
struct LuaOptions : OptionsOf<LuaOptions> {
  std::string script;  // the code (inline, or read from `file` at load)
  std::string file;    // where it came from, for messages; empty: inline
  std::string function = "process";
  // record: the function is called with each record; batch: with the list of the records of
  // one source read together (fewer calls, and the script sees neighbours).
  enum class Mode { kRecord, kBatch };
  Mode mode = Mode::kRecord;
  enum class OnError { kKeep, kDrop };
  OnError on_error = OnError::kKeep;
  std::uint32_t max_instructions = 1'000'000;    // per call: a runaway loop is stopped
  std::uint64_t max_memory_bytes = 64ull << 20;  // per Lua state

  bool operator==(const LuaOptions&) const = default;
};

void read_lua_options(YamlSection& item, LuaOptions& options);

}  // namespace lc
