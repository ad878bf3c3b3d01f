#pragma once

#include <cstdint>
#include <optional>
#include <string>

struct lua_State;
struct lua_Debug;

namespace lc {

// One Lua 5.4 state running a user script, sandboxed: only the base (without file and module
// loading), string, table, math and utf8 libraries; memory capped by its allocator; each call
// stopped after max_instructions by the count hook (LuaJIT has no such hook in Debian's
// build, which is why this is Lua 5.4). Not thread-safe: one per thread at a time.
class LuaSandbox {
 public:
  struct Limits {
    std::uint32_t max_instructions;
    std::uint64_t max_memory_bytes;
  };

  // Loads and runs `script` (its top level) and finds `function`; a problem says what and where
  // (`file:line: ...`) and leaves the state unusable.
  LuaSandbox(const std::string& script, const std::string& chunk_name, const std::string& function,
             Limits limits);
  ~LuaSandbox();
  LuaSandbox(const LuaSandbox&) = delete;
  LuaSandbox& operator=(const LuaSandbox&) = delete;

  const std::optional<std::string>& problem() const { return problem_; }
  lua_State* state() const { return state_; }
  // Pushes the user function; after pushing its argument, call_pushed() calls it with one
  // argument and one result, within the limits (max_instructions times `records`, for a call
  // given several). Returns an error message, or nullopt.
  void push_function() const;
  std::optional<std::string> call_pushed(std::size_t records = 1);

 private:
  static void* allocate(void* self, void* block, std::size_t old_size, std::size_t new_size);
  static void count_hook(lua_State* state, lua_Debug* debug);

  Limits limits_;
  std::uint64_t used_bytes_ = 0;
  bool enforcing_ = false;                // max_memory applies (within protected calls)
  std::uint64_t instructions_left_ = 0;   // in hook periods
  std::uint64_t instruction_budget_ = 0;  // of the current call, for its error message
  lua_State* state_ = nullptr;
  int function_ref_ = 0;
  std::optional<std::string> problem_;
};

}  // namespace lc
