#include "processors/lua/lua_sandbox.hpp"

#include <algorithm>
#include <cstdlib>
#include <lua.hpp>

namespace lc {
namespace {

constexpr int kHookPeriod = 1000;  // instructions between two count hooks

// The error at the top of the stack as text (popped).
std::string pop_error(lua_State* state) {
  const char* text = lua_tostring(state, -1);
  std::string message = text != nullptr ? text : "an error that is not a string";
  lua_pop(state, 1);
  return message;
}

}  // namespace

void* LuaSandbox::allocate(void* self, void* block, std::size_t old_size, std::size_t new_size) {
  auto* sandbox = static_cast<LuaSandbox*>(self);
  const std::uint64_t old_bytes = block != nullptr ? old_size : 0;
  if (new_size == 0) {
    sandbox->used_bytes_ -= old_bytes;
    std::free(block);
    return nullptr;
  }
  // Enforced inside protected calls only: outside them (records pushed, results read) Lua would
  // answer a refusal with abort(); what those add is bounded by the records of one call.
  if (sandbox->enforcing_ &&
      sandbox->used_bytes_ - old_bytes + new_size > sandbox->limits_.max_memory_bytes) {
    return nullptr;  // Lua raises "not enough memory"
  }
  void* grown = std::realloc(block, new_size);
  if (grown != nullptr) sandbox->used_bytes_ = sandbox->used_bytes_ - old_bytes + new_size;
  return grown;
}

void LuaSandbox::count_hook(lua_State* state, lua_Debug*) {
  void* self = nullptr;
  lua_getallocf(state, &self);
  auto* sandbox = static_cast<LuaSandbox*>(self);
  if (sandbox->instructions_left_ == 0) {
    luaL_error(state, "stopped after %I instructions (max_instructions)",
               static_cast<lua_Integer>(sandbox->instruction_budget_));
  }
  --sandbox->instructions_left_;
}

LuaSandbox::LuaSandbox(const std::string& script, const std::string& chunk_name,
                       const std::string& function, Limits limits)
    : limits_(limits) {
  state_ = lua_newstate(&LuaSandbox::allocate, this);
  if (state_ == nullptr) {
    problem_ = "cannot create a Lua state";
    return;
  }
  // The safe libraries only: no io, os, package, debug; no loading of files or bytecode.
  for (const luaL_Reg& library :
       {luaL_Reg{LUA_GNAME, luaopen_base}, luaL_Reg{LUA_STRLIBNAME, luaopen_string},
        luaL_Reg{LUA_TABLIBNAME, luaopen_table}, luaL_Reg{LUA_MATHLIBNAME, luaopen_math},
        luaL_Reg{LUA_UTF8LIBNAME, luaopen_utf8}}) {
    luaL_requiref(state_, library.name, library.func, 1);
    lua_pop(state_, 1);
  }
  for (const char* unsafe : {"dofile", "loadfile", "load", "require", "collectgarbage", "print"}) {
    lua_pushnil(state_);
    lua_setglobal(state_, unsafe);
  }
  lua_sethook(state_, &LuaSandbox::count_hook, LUA_MASKCOUNT, kHookPeriod);
  instruction_budget_ = limits_.max_instructions;
  instructions_left_ = instruction_budget_ / kHookPeriod + 1;
  enforcing_ = true;
  const bool loaded = luaL_loadbufferx(state_, script.data(), script.size(),
                                       ("=" + chunk_name).c_str(), "t") == LUA_OK &&
                      lua_pcall(state_, 0, 0, 0) == LUA_OK;
  enforcing_ = false;
  if (!loaded) {
    problem_ = pop_error(state_);
    return;
  }
  if (lua_getglobal(state_, function.c_str()) != LUA_TFUNCTION) {
    lua_pop(state_, 1);
    problem_ = "the script defines no function " + function;
    return;
  }
  function_ref_ = luaL_ref(state_, LUA_REGISTRYINDEX);
}

LuaSandbox::~LuaSandbox() {
  if (state_ != nullptr) lua_close(state_);
}

void LuaSandbox::push_function() const { lua_rawgeti(state_, LUA_REGISTRYINDEX, function_ref_); }

std::optional<std::string> LuaSandbox::call_pushed(std::size_t records) {
  instruction_budget_ = std::uint64_t{limits_.max_instructions} * std::max<std::size_t>(records, 1);
  instructions_left_ = instruction_budget_ / kHookPeriod + 1;
  enforcing_ = true;
  const int status = lua_pcall(state_, 1, 1, 0);
  enforcing_ = false;
  if (status != LUA_OK) return pop_error(state_);
  return std::nullopt;
}

}  // namespace lc
