#include "processors/lua/lua_record_codec.hpp"

#include <algorithm>
#include <cmath>
#include <lua.hpp>
#include <string_view>

namespace lc {
namespace {

// t[key] without metamethods (which could raise an error outside the protected call, and
// abort), pushed; its type.
int raw_field(lua_State* state, int index, const char* key) {
  index = lua_absindex(state, index);
  lua_pushstring(state, key);
  return lua_rawget(state, index);
}

constexpr int kMaxDepth = 64;

void push_string(lua_State* state, std::string_view text) {
  lua_pushlstring(state, text.data(), text.size());
}

void push_value(lua_State* state, const FieldValue& value) {
  switch (value.type()) {
    case FieldValue::Type::kNull:
      lua_pushnil(state);
      return;
    case FieldValue::Type::kBool:
      lua_pushboolean(state, value.as_bool() ? 1 : 0);
      return;
    case FieldValue::Type::kInt:
      lua_pushinteger(state, value.as_int());
      return;
    case FieldValue::Type::kFloat:
      lua_pushnumber(state, value.as_float());
      return;
    case FieldValue::Type::kString:
      push_string(state, value.as_string());
      return;
    case FieldValue::Type::kMap:
      lua_createtable(state, 0, static_cast<int>(value.as_map().size()));
      for (const FieldEntry& entry : value.as_map()) {
        push_value(state, entry.value);
        lua_setfield(state, -2, entry.key.c_str());
      }
      return;
    case FieldValue::Type::kList:
      lua_createtable(state, static_cast<int>(value.as_list().size()), 0);
      for (std::size_t i = 0; i < value.as_list().size(); ++i) {
        push_value(state, value.as_list()[i]);
        lua_rawseti(state, -2, static_cast<lua_Integer>(i + 1));
      }
      return;
  }
}

void set_string(lua_State* state, const char* key, std::string_view text) {
  push_string(state, text);
  lua_setfield(state, -2, key);
}

// The table at `index` as a sequence length (keys exactly 1..n), or -1.
lua_Integer sequence_length(lua_State* state, int index) {
  const lua_Integer length = static_cast<lua_Integer>(lua_rawlen(state, index));
  lua_Integer keys = 0;
  lua_pushnil(state);
  while (lua_next(state, index) != 0) {
    lua_pop(state, 1);
    if (lua_type(state, -1) != LUA_TNUMBER || !lua_isinteger(state, -1)) {
      lua_pop(state, 1);
      return -1;
    }
    ++keys;
  }
  return keys == length ? length : -1;
}

std::optional<std::string> to_value(lua_State* state, int index, const FieldValue* original,
                                    int depth, FieldValue& out);

// A table that is not a sequence: a map, the original's keys first in their order, then the
// new ones sorted (a Lua table has no order of its own).
std::optional<std::string> to_map(lua_State* state, int index, const FieldValue* original,
                                  int depth, FieldValue& out) {
  std::vector<std::string> keys;
  lua_pushnil(state);
  while (lua_next(state, index) != 0) {
    lua_pop(state, 1);
    lua_pushvalue(state, -1);  // tostring on a copy: lua_next needs the key as it was
    const char* key = lua_tostring(state, -1);
    if (key != nullptr) keys.emplace_back(key);
    lua_pop(state, 1);
  }
  std::vector<std::string> ordered;
  if (original != nullptr && original->type() == FieldValue::Type::kMap) {
    for (const FieldEntry& entry : original->as_map()) {
      if (std::find(keys.begin(), keys.end(), entry.key) != keys.end())
        ordered.push_back(entry.key);
    }
  }
  std::sort(keys.begin(), keys.end());
  for (const std::string& key : keys) {
    if (std::find(ordered.begin(), ordered.end(), key) == ordered.end()) ordered.push_back(key);
  }
  FieldValue::Map map;
  for (const std::string& key : ordered) {
    raw_field(state, index, key.c_str());
    const FieldValue* was = original != nullptr && original->type() == FieldValue::Type::kMap
                                ? original->find(key)
                                : nullptr;
    FieldValue value;
    auto problem = to_value(state, lua_gettop(state), was, depth + 1, value);
    lua_pop(state, 1);
    if (problem) return problem;
    map.push_back({key, std::move(value)});
  }
  out = FieldValue(std::move(map));
  return std::nullopt;
}

std::optional<std::string> to_value(lua_State* state, int index, const FieldValue* original,
                                    int depth, FieldValue& out) {
  if (depth > kMaxDepth) return "a table nested deeper than 64 (a cycle?)";
  switch (lua_type(state, index)) {
    case LUA_TNIL:
      out = FieldValue();
      return std::nullopt;
    case LUA_TBOOLEAN:
      out = FieldValue(lua_toboolean(state, index) != 0);
      return std::nullopt;
    case LUA_TNUMBER:
      if (lua_isinteger(state, index)) {
        out = FieldValue(static_cast<std::int64_t>(lua_tointeger(state, index)));
      } else {
        const double number = lua_tonumber(state, index);
        if (!std::isfinite(number)) return "a number that is not finite";
        out = FieldValue(number);
      }
      return std::nullopt;
    case LUA_TSTRING: {
      std::size_t length = 0;
      const char* text = lua_tolstring(state, index, &length);
      out = FieldValue(std::string_view(text, length));
      return std::nullopt;
    }
    case LUA_TTABLE: {
      const lua_Integer length = sequence_length(state, index);
      if (length <= 0) return to_map(state, index, original, depth, out);
      FieldValue::List list;
      for (lua_Integer i = 1; i <= length; ++i) {
        lua_rawgeti(state, index, i);
        FieldValue item;
        auto problem = to_value(state, lua_gettop(state), nullptr, depth + 1, item);
        lua_pop(state, 1);
        if (problem) return problem;
        list.push_back(std::move(item));
      }
      out = FieldValue(std::move(list));
      return std::nullopt;
    }
    default:
      return std::string("a ") + lua_typename(state, lua_type(state, index)) + " cannot be a field";
  }
}

// The table's event_time (nanoseconds since the epoch; nil: none) into `out`.
std::optional<std::string> to_event_time(lua_State* state, int index, LogRecord& out) {
  const int type = raw_field(state, index, "event_time");
  std::optional<std::string> problem;
  if (type == LUA_TNIL) {
    out.event_time = 0;
  } else if (int exact = 0; type == LUA_TNUMBER && lua_tointegerx(state, -1, &exact) > 0 &&
                            exact != 0) {  // an integer, or a float with an integral value
    out.event_time = static_cast<TimestampNs>(lua_tointegerx(state, -1, nullptr));
  } else {
    problem = "event_time is not a positive integer (nanoseconds since the epoch)";
  }
  lua_pop(state, 1);
  return problem;
}

// The record table at `index` into a copy of `original`.
std::optional<std::string> to_record(lua_State* state, int index, const LogRecord& original,
                                     LogRecord& out) {
  out = original;
  if (raw_field(state, index, "message") == LUA_TSTRING) {
    std::size_t length = 0;
    const char* text = lua_tolstring(state, -1, &length);
    if (std::string_view(text, length) != original.message) {
      out.message.assign(text, length);
      out.valid_utf8 = false;  // the script may have written any bytes: sinks check
    }
  } else if (!lua_isnil(state, -1)) {
    lua_pop(state, 1);
    return "message is not a string";
  }
  lua_pop(state, 1);
  if (auto problem = to_event_time(state, index, out)) return problem;
  const int type = raw_field(state, index, "fields");
  if (type == LUA_TTABLE) {
    FieldValue fields;
    auto problem = to_value(state, lua_gettop(state), original.fields.get(), 0, fields);
    if (!problem && fields.type() == FieldValue::Type::kList) {
      problem = "fields is a list, not a map";
    }
    if (problem) {
      lua_pop(state, 1);
      return problem;
    }
    out.fields = fields.type() == FieldValue::Type::kMap && !fields.as_map().empty()
                     ? RecordFields(std::move(fields.as_map()))
                     : RecordFields();
  } else if (type == LUA_TNIL) {
    out.fields = RecordFields();
  } else {
    lua_pop(state, 1);
    return "fields is not a table";
  }
  lua_pop(state, 1);
  return std::nullopt;
}

}  // namespace

void push_record(lua_State* state, const LogRecord& record) {
  lua_createtable(state, 0, 10);
  set_string(state, "message", record.message);
  if (const FieldValue* fields = record.fields.get()) {
    push_value(state, *fields);
  } else {
    lua_createtable(state, 0, 0);
  }
  lua_setfield(state, -2, "fields");
  lua_pushinteger(state, static_cast<lua_Integer>(record.time));
  lua_setfield(state, -2, "time");
  if (record.event_time != 0) {
    lua_pushinteger(state, static_cast<lua_Integer>(record.event_time));
    lua_setfield(state, -2, "event_time");
  }
  set_string(state, "stream", record.stream == LogStream::kStderr ? "stderr" : "stdout");
  const std::map<std::string, std::string>* labels = nullptr;
  if (const ContainerMetadata* container = record.container.get()) {
    set_string(state, "container_name", container->name);
    set_string(state, "container_id", container->id);
    set_string(state, "image", container->image);
    labels = &container->labels;
  } else if (const FileSource* file = record.file_source.get()) {
    set_string(state, "file", file->path);
    labels = &file->labels;
  }
  lua_createtable(state, 0, labels != nullptr ? static_cast<int>(labels->size()) : 0);
  if (labels != nullptr) {
    for (const auto& [key, value] : *labels) set_string(state, key.c_str(), value);
  }
  lua_setfield(state, -2, "labels");
}

std::optional<std::string> pop_records(lua_State* state, const LogRecord& original,
                                       std::vector<LogRecord>& out) {
  const int top = lua_gettop(state);
  std::optional<std::string> problem;
  const int type = lua_type(state, top);
  if (type == LUA_TNIL || (type == LUA_TBOOLEAN && lua_toboolean(state, top) == 0)) {
    // dropped
  } else if (type != LUA_TTABLE) {
    problem = std::string("the function returned a ") + lua_typename(state, type) +
              ", not a record, a list of records or nil";
  } else if (lua_rawgeti(state, top, 1) == LUA_TTABLE) {  // a list of records
    lua_pop(state, 1);
    const auto count = static_cast<lua_Integer>(lua_rawlen(state, top));
    for (lua_Integer i = 1; i <= count && !problem; ++i) {
      lua_rawgeti(state, top, i);
      LogRecord emitted;
      problem =
          lua_istable(state, -1)
              ? to_record(state, lua_gettop(state), original, emitted)
              : std::optional<std::string>("item " + std::to_string(i) + " is not a record table");
      lua_pop(state, 1);
      if (problem) break;
      if (i > 1) emitted.fields.edit().set("emit_index", FieldValue(std::int64_t{i - 1}));
      out.push_back(std::move(emitted));
    }
  } else {
    lua_pop(state, 1);
    LogRecord replaced;
    problem = to_record(state, top, original, replaced);
    if (!problem) out.push_back(std::move(replaced));
  }
  lua_settop(state, top - 1);
  return problem;
}

void push_batch(lua_State* state, std::span<const LogRecord> records) {
  const int count = static_cast<int>(records.size());
  lua_createtable(state, 0, count);  // record table -> its place, 1-based
  lua_createtable(state, count, 0);
  for (int i = 0; i < count; ++i) {
    push_record(state, records[static_cast<std::size_t>(i)]);
    lua_pushvalue(state, -1);
    lua_pushinteger(state, i + 1);
    lua_rawset(state, -5);  // places[table] = i + 1
    lua_rawseti(state, -2, i + 1);
  }
}

std::optional<std::string> pop_batch(lua_State* state, std::span<const LogRecord> originals,
                                     std::vector<LogRecord>& out) {
  const int top = lua_gettop(state);
  const int places = top - 1;
  std::optional<std::string> problem;
  const int type = lua_type(state, top);
  std::vector<LogRecord> made;
  if (type != LUA_TNIL && type != LUA_TTABLE) {
    problem = std::string("the function returned a ") + lua_typename(state, type) +
              ", not a list of records or nil";
  } else if (type == LUA_TTABLE && lua_rawlen(state, top) == 0) {
    lua_pushnil(state);
    if (lua_next(state, top) != 0) {  // keys, but no list: a record returned without {}
      problem = "the function returned a table that is not a list of records (return {r})";
    }
    lua_settop(state, top);
  }
  std::vector<std::int64_t> emitted(originals.size());  // records gone on per source record
  std::size_t origin = 0;
  const auto count = type == LUA_TTABLE ? static_cast<lua_Integer>(lua_rawlen(state, top)) : 0;
  for (lua_Integer i = 1; i <= count && !problem && !originals.empty(); ++i) {
    if (lua_rawgeti(state, top, i) != LUA_TTABLE) {
      problem = "item " + std::to_string(i) + " is not a record table";
      break;
    }
    lua_pushvalue(state, -1);
    if (lua_rawget(state, places) == LUA_TNUMBER) {
      origin = static_cast<std::size_t>(lua_tointeger(state, -1) - 1);
    }
    lua_pop(state, 1);
    LogRecord record;
    problem = to_record(state, lua_gettop(state), originals[origin], record);
    lua_pop(state, 1);
    if (problem) break;
    if (const std::int64_t index = emitted[origin]++; index > 0) {
      record.fields.edit().set("emit_index", FieldValue(index));
    }
    made.push_back(std::move(record));
  }
  lua_settop(state, places - 1);
  if (problem) return problem;
  std::move(made.begin(), made.end(), std::back_inserter(out));
  return std::nullopt;
}

}  // namespace lc
