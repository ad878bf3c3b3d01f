#include "processors/parse_regex/regex_presets.hpp"

#include <algorithm>
#include <string>
#include <vector>

namespace lc {
namespace {

// Field names follow Vector's parse_nginx_log / parse_apache_log. A "-" size is no field.
constexpr std::string_view kCommonLog =
    R"re(^(?P<client>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<time>[^\]]*)\] )re"
    R"re("(?:(?P<method>[A-Z]+) (?P<path>[^ "]*)(?: (?P<protocol>[^"]*))?|(?P<request>[^"]*))" )re"
    R"re((?P<status>\d{3}) (?:(?P<size>\d+)|-))re";

const std::vector<RegexPreset>& regex_preset_table() {
  static const std::vector<RegexPreset> all{
      {"common", "Common Log Format (Apache, nginx without the referer and agent)",
       std::string(kCommonLog), "status=int size=int"},
      {"combined", "Combined Log Format (nginx's and Apache's default access log)",
       std::string(kCommonLog) + R"re( "(?P<referer>[^"]*)" "(?P<agent>[^"]*)")re",
       "status=int size=int"},
      {"nginx_error", "nginx's error log",
       R"re(^(?P<time>\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) \[(?P<level>\w+)\] (?P<pid>\d+)#)re"
       R"re((?P<tid>\d+): (?:\*(?P<connection>\d+) )?(?P<text>.*))re",
       "pid=int tid=int connection=int"},
      {"apache_error", "Apache httpd 2.4's error log",
       R"re(^\[(?P<time>[^\]]+)\] \[(?:(?P<module>[^:\]]+):)?(?P<level>[^\]]+)\] )re"
       R"re(\[pid (?P<pid>\d+)(?::tid (?P<tid>\d+))?\] (?:\[client (?P<client>[^\]]+)\] )?)re"
       R"re((?P<text>.*))re",
       "pid=int tid=int"},
  };
  return all;
}

}  // namespace

std::span<const RegexPreset> regex_presets() { return regex_preset_table(); }

const RegexPreset* find_regex_preset(std::string_view name) {
  const auto& all = regex_preset_table();
  auto it = std::find_if(all.begin(), all.end(),
                         [&](const RegexPreset& preset) { return preset.name == name; });
  return it == all.end() ? nullptr : &*it;
}

std::vector<std::pair<std::string, CaptureType>> preset_capture_types(const RegexPreset& preset) {
  std::vector<std::pair<std::string, CaptureType>> types;
  std::string_view rest = preset.types;
  while (!rest.empty()) {
    const std::size_t space = rest.find(' ');
    const std::string_view word = rest.substr(0, space);
    const std::size_t equals = word.find('=');
    types.emplace_back(std::string(word.substr(0, equals)),
                       *capture_type_named(word.substr(equals + 1)));
    rest.remove_prefix(space == std::string_view::npos ? rest.size() : space + 1);
  }
  return types;
}

}  // namespace lc
