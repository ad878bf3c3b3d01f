#include "processors/lua/lua_options.hpp"

#include <array>
#include <fstream>
#include <sstream>

#include "config/yaml_section.hpp"
#include "processors/lua/lua_sandbox.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<LuaOptions::OnError>, 2> kOnError{{
    {"keep", LuaOptions::OnError::kKeep},
    {"drop", LuaOptions::OnError::kDrop},
}};

constexpr std::array<EnumChoice<LuaOptions::Mode>, 2> kModes{{
    {"record", LuaOptions::Mode::kRecord},
    {"batch", LuaOptions::Mode::kBatch},
}};

std::optional<std::string> read_script_file(const std::string& path, std::string& out) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return "cannot read " + path;
  std::ostringstream text;
  text << file.rdbuf();
  out = text.str();
  if (out.size() > (1u << 20)) return path + " is larger than 1MiB";
  return std::nullopt;
}

}  // namespace

void read_lua_options(YamlSection& item, LuaOptions& options) {
  item.read_string({"script",
                    "Lua 5.4 code defining the function (a YAML block: `script: |`). Either this "
                    "or `file`."},
                   options.script);
  item.read_string({"file", "A file holding the code instead, read at start and at each reload."},
                   options.file);
  item.read_string({"function",
                    "The function called with each record (a table: message, fields, time, "
                    "stream, container_name, container_id, image, labels, file); it returns the "
                    "record, nil to drop it, or a list of records to emit several."},
                   options.function);
  item.read_enum<LuaOptions::Mode>(
      {"mode",
       "`record`: the function is called with each record. `batch`: with a list of the records "
       "of one source read together (at most 256 a call), returning the list that goes on "
       "(the tables it was given, changed, and new ones; nil or {} drops them all); "
       "`max_instructions` is then per record of the list."},
      options.mode, kModes);
  item.read_enum<LuaOptions::OnError>(
      {"on_error",
       "A call that fails (an error in the script, max_instructions or max_memory reached, a "
       "result that is no record): `keep` passes the record (in batch mode, the batch) "
       "unchanged, `drop` drops it. "
       "Counted in `log_capturer_processor_errors_total` and logged with the script's line."},
      options.on_error, kOnError);
  item.read_count({"max_instructions",
                   "Lua instructions one call may run (about); a call beyond is stopped, so a "
                   "runaway loop cannot hold an input thread.",
                   "1000000"},
                  options.max_instructions, 1000);
  item.read_byte_size({"max_memory", "Memory each Lua state may use (one per input thread)."},
                      options.max_memory_bytes, 1u << 20);
  if (item.cataloguing() || item.failed("script") || item.failed("file")) return;
  if (options.script.empty() == options.file.empty()) {
    return item.fail("script", "set either script or file");
  }
  if (!options.file.empty()) {
    if (auto problem = read_script_file(options.file, options.script)) {
      return item.fail("file", *problem);
    }
  }
  // Loaded once here, so that a syntax error or a missing function fails --check-config.
  const LuaSandbox sandbox(options.script, options.file.empty() ? "script" : options.file,
                           options.function, {options.max_instructions, options.max_memory_bytes});
  if (sandbox.problem()) item.fail(options.file.empty() ? "script" : "file", *sandbox.problem());
}

}  // namespace lc
