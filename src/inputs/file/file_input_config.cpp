#include "inputs/file/file_input_config.hpp"

#include <array>

#include "config/config_value_checks.hpp"
#include "config/yaml_section.hpp"
#include "core/user_regex.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<FileInputConfig::StartAt>, 2> kFileStartAtChoices{{
    {"beginning", FileInputConfig::StartAt::kBeginning},
    {"end", FileInputConfig::StartAt::kEnd},
}};

}  // namespace

void read_file_input_config(YamlSection& section, FileInputConfig& files) {
  section.read_string_list({"include",
                            "`glob(3)` patterns, braces allowed (`/var/log/{app,db}/*.log`). Files "
                            "appearing later are found through inotify and `rescan_interval`."},
                           files.include);
  section.read_string_list({"exclude",
                            "`fnmatch(3)` patterns on the full path; add the rotated names (`*.1`, "
                            "`*.gz`) when an include pattern would match them."},
                           files.exclude);
  section.read_enum<FileInputConfig::StartAt>(
      {"start_at",
       "Files found at start-up without a checkpoint: `beginning` or `end`. Files that appear "
       "later are always read from their start."},
      files.start_at, kFileStartAtChoices);
  section.read_byte_size({"max_line_bytes", "Longer lines are cut and flagged truncated."},
                         files.max_line_bytes);
  section.read_count({"max_open_files",
                      "File descriptors held at most; with more files they take turns (an idle "
                      "file is closed and reopened at its position)."},
                     files.max_open_files);
  section.read_duration(
      {"poll_interval",
       "Every file is looked at this often even without a change event (a safety net)."},
      files.poll_interval);
  section.read_duration({"rescan_interval", "The include patterns are evaluated again this often."},
                        files.rescan_interval);
  section.read_duration(
      {"rotate_wait",
       "After a rename rotation the old file is read until it has been quiet this long (a writer "
       "may still write to it before reopening the path). Both files have a saved position "
       "meanwhile: a restart finishes the old one from its place and the new one from its own."},
      files.rotate_wait, Duration{0});
  section.read_string_list({"labels", "`key=value` labels put on every record of these files."},
                           files.labels, check_label_selector);
  section.read_section("multiline", [&](YamlSection& multiline) {
    multiline.read_string(
        {"start_pattern",
         "Regex (RE2 syntax); a line in which it is found starts a new record, other lines "
         "continue the previous one (stack traces). Empty: one record per line."},
        files.multiline_start_pattern, check_user_regex);
    multiline.read_bool({"negate",
                         "A line in which the pattern is *not* found starts a record (the pattern "
                         "then describes continuation lines)."},
                        files.multiline_negate);
    multiline.read_count(
        {"max_lines",
         "Lines joined at most: the record goes out flagged truncated, and the next line "
         "is read as if no record were open."},
        files.multiline_max_lines);
    multiline.read_duration(
        {"flush_timeout", "A pending multi-line record is delivered after this much quiet."},
        files.multiline_flush_timeout);
  });
}

}  // namespace lc
