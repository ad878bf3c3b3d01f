#include "inputs/file/file_input_config.hpp"

#include <array>
#include <boost/regex.hpp>

#include "config/config_value_checks.hpp"
#include "config/yaml_section.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<FileInputConfig::StartAt>, 2> kStartAtChoices{{
    {"beginning", FileInputConfig::StartAt::kBeginning},
    {"end", FileInputConfig::StartAt::kEnd},
}};

// The multi-line start pattern compiles as the joiner will compile it (Perl syntax).
ValueProblem check_start_pattern(std::string_view pattern) {
  try {
    boost::regex compiled(pattern.begin(), pattern.end(), boost::regex::perl);
    return std::nullopt;
  } catch (const boost::regex_error& error) {
    return std::string("not a valid regex (Perl syntax): ") + error.what();
  }
}

}  // namespace

void read_file_input_config(YamlSection& section, FileInputConfig& files) {
  section.read_string_list("include", files.include);
  section.read_string_list("exclude", files.exclude);
  section.read_enum<FileInputConfig::StartAt>("start_at", files.start_at, kStartAtChoices);
  section.read_byte_size("max_line_bytes", files.max_line_bytes);
  section.read_count("max_open_files", files.max_open_files);
  section.read_duration("poll_interval", files.poll_interval);
  section.read_duration("rescan_interval", files.rescan_interval);
  section.read_duration("rotate_wait", files.rotate_wait, Duration{0});
  section.read_string_list("labels", files.labels, check_label_selector);
  section.read_section("multiline", [&](YamlSection& multiline) {
    multiline.read_string("start_pattern", files.multiline_start_pattern, check_start_pattern);
    multiline.read_bool("negate", files.multiline_negate);
    multiline.read_count("max_lines", files.multiline_max_lines);
    multiline.read_duration("flush_timeout", files.multiline_flush_timeout);
  });
}

}  // namespace lc
