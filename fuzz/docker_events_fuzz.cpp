// libFuzzer target for the /events stream: arbitrary bytes, split at an input-chosen point,
// through the line splitter and the event parser. Besides "no crash": the lines found do not
// depend on where the bytes were split.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "docker/docker_event.hpp"

namespace {

std::vector<std::string> split_lines(std::string_view bytes, std::size_t cut) {
  lc::docker::EventLineSplitter splitter(4096);
  std::vector<std::string> lines;
  const auto collect = [&](std::string_view line) {
    lines.emplace_back(line);
    (void)lc::docker::parse_docker_event(line);
  };
  splitter.feed(bytes.substr(0, cut), collect);
  splitter.feed(bytes.substr(cut), collect);
  return lines;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::size_t cut = bytes.empty() ? 0 : data[0] % (bytes.size() + 1);
  if (split_lines(bytes, cut) != split_lines(bytes, bytes.size())) std::abort();
  return 0;
}
