#include "processors/lua/lua_processor.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "metrics/metrics_registry.hpp"
#include "processors/processor_chain.hpp"
#include "support/processor_test_support.hpp"
#include "support/temp_directory.hpp"

namespace lc {
namespace {

struct LuaOutput {
  std::vector<std::string> records;  // message | fields JSON
  std::string metrics;
};

LuaOutput run_lua(const std::string& yaml, std::vector<LogRecord> batch) {
  const AgentConfig config = one_processor_config(yaml);
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  chain.process(batch);
  LuaOutput out;
  for (const LogRecord& record : batch) {
    std::string fields;
    if (const FieldValue* map = record.fields.get()) map->append_json(fields);
    out.records.push_back(record.message + " | " + fields);
  }
  out.metrics = metrics.render();
  return out;
}

LogRecord line(std::string message) {
  LogRecord record;
  record.message = std::move(message);
  auto container = std::make_shared<ContainerMetadata>();
  container->name = "web";
  container->labels = {{"team", "payments"}};
  record.container = std::move(container);
  record.fields = RecordFields(
      FieldValue::Map{{"n", FieldValue(std::int64_t{1})},
                      {"tags", FieldValue(FieldValue::List{FieldValue("a"), FieldValue("b")})}});
  return record;
}

std::string yaml_with(const std::string& script, const std::string& more = "") {
  std::string quoted;
  for (const char c : script) quoted += c == '\n' ? std::string("\\n") : std::string(1, c);
  return "{type: lua, script: \"" + quoted + "\"" + more + "}";
}

TEST(LuaProcessor, ChangesMessageAndFieldsKeepingTypesAndOrder) {
  const LuaOutput out =
      run_lua(yaml_with("function process(r)\n"
                        "  r.message = string.upper(r.message) .. ' ' .. r.container_name\n"
                        "  r.fields.n = r.fields.n + 1\n"
                        "  r.fields.team = r.labels.team\n"
                        "  r.fields.half = 0.5\n"
                        "  table.insert(r.fields.tags, 'c')\n"
                        "  return r\n"
                        "end"),
              {line("hello")});
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0],
            R"(HELLO web | {"n":2,"tags":["a","b","c"],"half":0.5,"team":"payments"})");
}

TEST(LuaProcessor, NilDropsAndAListEmitsSeveralWithAnEmitIndex) {
  const LuaOutput out =
      run_lua(yaml_with("function process(r)\n"
                        "  if r.message == 'drop' then return nil end\n"
                        "  if r.message == 'split' then\n"
                        "    local a, b = {message='one'}, {message='two', fields={x=1}}\n"
                        "    return {a, b}\n"
                        "  end\n"
                        "  return r\n"
                        "end"),
              {line("keep"), line("drop"), line("split")});
  ASSERT_EQ(out.records.size(), 3u);
  EXPECT_EQ(out.records[0], R"(keep | {"n":1,"tags":["a","b"]})");
  EXPECT_EQ(out.records[1], "one | ");
  EXPECT_EQ(out.records[2], R"(two | {"x":1,"emit_index":1})");
  EXPECT_NE(out.metrics.find("log_capturer_processor_records_dropped_total{processor=\"lua_1\"} 0"),
            std::string::npos);  // one dropped, one more emitted: the count nets out
}

TEST(LuaProcessor, ErrorsAreCountedAndTheRecordPassesOrIsDropped) {
  const std::string script =
      "function process(r)\n  if r.message == 'bad' then error('boom') end\n  return r\nend";
  LuaOutput out = run_lua(yaml_with(script), {line("bad"), line("good")});
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(out.records[0], R"(bad | {"n":1,"tags":["a","b"]})");
  EXPECT_NE(out.metrics.find("log_capturer_processor_errors_total{processor=\"lua_1\"} 1"),
            std::string::npos);
  out = run_lua(yaml_with(script, ", on_error: drop"), {line("bad"), line("good")});
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(out.records[0], R"(good | {"n":1,"tags":["a","b"]})");
  // A result that is no record is an error too.
  out = run_lua(yaml_with("function process(r) return 42 end"), {line("x")});
  EXPECT_EQ(out.records.size(), 1u);
  EXPECT_NE(out.metrics.find("log_capturer_processor_errors_total{processor=\"lua_1\"} 1"),
            std::string::npos);
}

TEST(LuaProcessor, TheEventTimeCanBeReadAndSet) {
  std::vector<LogRecord> batch = {line("a"), line("b")};
  batch[0].event_time = 1'000;
  const AgentConfig config =
      one_processor_config(yaml_with("function process(r)\n  r.fields.had = r.event_time ~= nil\n"
                                     "  r.event_time = (r.event_time or 0) + 5\n  return r\nend"));
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  chain.process(batch);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0].event_time, 1'005);
  EXPECT_EQ(batch[1].event_time, 5);
  EXPECT_EQ(batch[0].fields.get()->find("had")->as_bool(), true);
  EXPECT_EQ(batch[1].fields.get()->find("had")->as_bool(), false);
}

// mode: batch: one call with the source's records; the list returned goes on, the tables given
// keeping their own source, new ones taking the source of the one before them.
TEST(LuaProcessor, BatchModeCallsOnceWithTheListAndTakesTheListBack) {
  const std::string script =
      "calls = 0\n"
      "function process(records)\n"
      "  calls = calls + 1\n"
      "  local out = {}\n"
      "  for i, r in ipairs(records) do\n"
      "    if r.message ~= 'drop' then\n"
      "      r.fields.calls = calls\n"
      "      r.fields.size = #records\n"
      "      table.insert(out, r)\n"
      "      if r.message == 'twice' then table.insert(out, {message = 'copy'}) end\n"
      "    end\n"
      "  end\n"
      "  table.insert(out, 1, out[#out])\n"  // the last one first: reordering is the script's
      "  table.remove(out)\n"
      "  return out\n"
      "end";
  const LuaOutput out = run_lua(yaml_with(script, ", mode: batch"),
                                {line("a"), line("drop"), line("twice"), line("z")});
  ASSERT_EQ(out.records.size(), 4u);
  EXPECT_EQ(out.records[0], R"(z | {"n":1,"tags":["a","b"],"calls":1,"size":4})");
  EXPECT_EQ(out.records[1], R"(a | {"n":1,"tags":["a","b"],"calls":1,"size":4})");
  EXPECT_EQ(out.records[2], R"(twice | {"n":1,"tags":["a","b"],"calls":1,"size":4})");
  // A new table: the record before it gives its source and fields it lacks; an emit index.
  EXPECT_EQ(out.records[3], R"(copy | {"emit_index":1})");
  EXPECT_NE(out.metrics.find("log_capturer_processor_records_dropped_total{processor=\"lua_1\"} 0"),
            std::string::npos);
}

TEST(LuaProcessor, BatchModeErrorsKeepOrDropTheWholeBatch) {
  std::vector<LogRecord> batch = {line("a"), line("b")};
  LuaOutput out =
      run_lua(yaml_with("function process(rs) return rs[1] end", ", mode: batch"), batch);
  EXPECT_EQ(out.records.size(), 2u);  // a record, not a list: an error, the batch kept
  EXPECT_NE(out.metrics.find("log_capturer_processor_errors_total{processor=\"lua_1\"} 2"),
            std::string::npos)
      << out.metrics;
  out = run_lua(
      yaml_with("function process(rs) error('boom') end", ", mode: batch, on_error: drop"), batch);
  EXPECT_EQ(out.records.size(), 0u);
  out = run_lua(yaml_with("function process(rs) return {} end", ", mode: batch"), batch);
  EXPECT_EQ(out.records.size(), 0u);  // an empty list drops them all, no error
  EXPECT_NE(out.metrics.find("log_capturer_processor_errors_total{processor=\"lua_1\"} 0"),
            std::string::npos);
  // The instruction budget is per record of the list: 2 records of 60000 each pass at 100000.
  out = run_lua(yaml_with("function process(rs)\n  for i = 1, 60000 * #rs do end\n  return rs\nend",
                          ", mode: batch, max_instructions: 100000"),
                batch);
  EXPECT_NE(out.metrics.find("log_capturer_processor_errors_total{processor=\"lua_1\"} 0"),
            std::string::npos);
  out = run_lua(yaml_with("function process(rs)\n  while true do end\nend",
                          ", mode: batch, max_instructions: 100000"),
                batch);
  EXPECT_EQ(out.records.size(), 2u);
}

// Lua answers an allocation refused outside a protected call, or an error raised by a
// metamethod there, with abort(): neither may happen while records are pushed or read back.
TEST(LuaProcessor, NothingAScriptReturnsOrHoldsCanAbortTheAgent) {
  std::vector<LogRecord> many;
  for (int i = 0; i < 3000; ++i) many.push_back(line("record " + std::to_string(i)));
  LuaOutput out =
      run_lua(yaml_with("hold = {}\nfunction process(rs)\n"
                        "  for i = 1, 1e9 do hold[#hold + 1] = string.rep('x', 100) end\nend",
                        ", mode: batch, max_memory: 1MiB, max_instructions: 100000000"),
              many);
  EXPECT_EQ(out.records.size(), 3000u);  // each call refused for memory: kept unchanged
  const std::string trap = "setmetatable({}, {__index = function() error('trap') end})";
  out = run_lua(yaml_with("function process(rs) return {" + trap + "} end", ", mode: batch"),
                {line("a")});
  EXPECT_EQ(out.records.size(), 1u);
  out = run_lua(yaml_with("function process(r) return " + trap + " end"), {line("a")});
  EXPECT_EQ(out.records.size(), 1u);
}

// Under LuaJIT this would never return: Lua 5.4's count hook stops it.
TEST(LuaProcessor, ARunawayLoopIsStoppedAndAMemoryHogRefused) {
  LuaOutput out = run_lua(
      yaml_with("function process(r)\n  while true do end\nend", ", max_instructions: 100000"),
      {line("a"), line("b")});
  EXPECT_EQ(out.records.size(), 2u);
  EXPECT_NE(out.metrics.find("log_capturer_processor_errors_total{processor=\"lua_1\"} 2"),
            std::string::npos);
  out = run_lua(yaml_with("function process(r)\n  local t = {}\n  for i = 1, 1e9 do t[i] = "
                          "string.rep('x', 1000) .. i end\nend",
                          ", max_memory: 2MiB, max_instructions: 100000000"),
                {line("a")});
  EXPECT_EQ(out.records.size(), 1u);
  EXPECT_NE(out.metrics.find("log_capturer_processor_errors_total{processor=\"lua_1\"} 1"),
            std::string::npos);
}

TEST(LuaProcessor, TheSandboxHasNoFilesProcessesOrModules) {
  for (const char* call : {"io.open('/etc/passwd')", "os.execute('true')", "require('os')",
                           "dofile('/etc/passwd')", "load('return 1')()", "debug.getinfo(1)"}) {
    const LuaOutput out =
        run_lua(yaml_with(std::string("function process(r)\n  ") + call + "\n  return r\nend"),
                {line("x")});
    EXPECT_NE(out.metrics.find("log_capturer_processor_errors_total{processor=\"lua_1\"} 1"),
              std::string::npos)
        << call;
  }
}

TEST(LuaProcessor, SeveralThreadsAtOnceEachUseAStateOfTheirOwn) {
  const AgentConfig config = one_processor_config(
      yaml_with("count = 0\nfunction process(r)\n  count = count + 1\n  r.fields.n = count\n  "
                "return r\nend"));
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  std::vector<std::thread> threads;
  std::atomic<int> processed{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        std::vector<LogRecord> batch{line("x"), line("y")};
        chain.process(batch);
        processed += static_cast<int>(batch.size());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(processed.load(), 4 * 200 * 2);
}

TEST(LuaProcessor, ScriptsComeFromAFileAndTheirMistakesFailTheConfig) {
  testing::TempDirectory dir;
  const std::string path = dir.path() + "/filter.lua";
  std::ofstream(path) << "function process(r)\n  r.message = 'from file'\n  return r\nend\n";
  EXPECT_EQ(run_lua("{type: lua, file: " + path + "}", {line("x")}).records[0],
            R"(from file | {"n":1,"tags":["a","b"]})");
  EXPECT_NE(processor_config_problem(yaml_with("function process(r)\n  return r +\nend"))
                .find("processors[0].script: script:3:"),
            std::string::npos);
  EXPECT_NE(processor_config_problem(yaml_with("function other(r) return r end"))
                .find("defines no function process"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: lua}").find("set either script or file"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: lua, file: /nonexistent.lua}").find("cannot read"),
            std::string::npos);
}

}  // namespace
}  // namespace lc
