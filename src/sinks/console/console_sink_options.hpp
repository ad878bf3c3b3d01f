#pragma once

#include "config/sink_spec.hpp"

namespace lc {

class YamlSection;

// The console sink's own keys (YAML: sinks.console, or sinks.<name> with type: console;
// docs/configuration.md): records on the agent's standard output or error, for debugging and
// for `docker logs` of the agent itself.
struct ConsoleSinkOptions : OptionsOf<ConsoleSinkOptions> {
  enum class Stream { kStdout, kStderr };
  Stream stream = Stream::kStdout;
  // kNdjson: the record as the file store writes it; kText: the message only, a line each.
  enum class Encoding { kNdjson, kText };
  Encoding encoding = Encoding::kNdjson;

  bool operator==(const ConsoleSinkOptions&) const = default;
};

void read_console_sink_options(YamlSection& section, ConsoleSinkOptions& options);

}  // namespace lc
