#include "sinks/console/console_sink_options.hpp"

#include <array>

#include "config/yaml_section.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<ConsoleSinkOptions::Stream>, 2> kStreamChoices{{
    {"stdout", ConsoleSinkOptions::Stream::kStdout},
    {"stderr", ConsoleSinkOptions::Stream::kStderr},
}};

constexpr std::array<EnumChoice<ConsoleSinkOptions::Encoding>, 2> kConsoleEncodingChoices{{
    {"ndjson", ConsoleSinkOptions::Encoding::kNdjson},
    {"text", ConsoleSinkOptions::Encoding::kText},
}};

}  // namespace

void read_console_sink_options(YamlSection& section, ConsoleSinkOptions& console) {
  section.read_enum<ConsoleSinkOptions::Stream>(
      {"stream",
       "`stdout` or `stderr` of the agent (its own log lines go to stderr: `stdout` keeps the "
       "two apart)."},
      console.stream, kStreamChoices);
  section.read_enum<ConsoleSinkOptions::Encoding>(
      {"encoding",
       "`ndjson`: each record as the file store writes it (one JSON object a line); `text`: "
       "the message only (a multi-line record stays multi-line)."},
      console.encoding, kConsoleEncodingChoices);
}

}  // namespace lc
