// libFuzzer target for the configuration loader: arbitrary text through environment
// expansion and the YAML schema. A ConfigError is the expected answer to bad input; any other
// exception escaping, or a crash, is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config_error.hpp"
#include "config/config_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)lc::parse_config_text(text, "fuzz.yaml");
  } catch (const lc::ConfigError&) {
  }
  return 0;
}
