#pragma once

#include <string>

namespace lc {

// Debian's yaml-cpp 0.7 never returns on some malformed inputs (found by fuzzing), allocating
// without bound. The guard parses a text in a child process under a time limit first, so that
// such a file is an error instead of a hung agent.
//
// A child forked from a process that has threads may only call async-signal-safe functions:
// another thread may hold the allocator's or a library's lock, which stays held forever in the
// child. Reloads parse while the pipeline's threads run, so the children are forked by a helper
// process instead, itself forked while the process has one thread (as Python's multiprocessing
// "forkserver" does). The helper exits when the agent closes its end or dies.
enum class YamlParseCheck {
  finishes,
  does_not_finish,
  not_checked,  // threads already ran when the first check came, or the helper is gone
};

// Forks the helper unless it runs. Call it before starting threads that may hold a lock at any
// moment (threads of an allocator with fork handlers, like jemalloc's background thread, are
// fine): main() and the fuzz target call it first thing. Without it, the first check starts the
// helper if the process has one thread.
void start_yaml_parse_guard();

YamlParseCheck check_yaml_parser_finishes(const std::string& text);

// Whether the helper stopped answering (then checks are not_checked until a restart: it cannot
// be forked again while threads run). The reloader says so in its log.
bool yaml_parse_guard_lost();

}  // namespace lc
