#include "processors/parse_timestamp/parse_timestamp_options.hpp"

#include "config/yaml_section.hpp"
#include "processors/parse_timestamp/time_zone_rule.hpp"
#include "processors/parse_timestamp/timestamp_format.hpp"

namespace lc {

void read_parse_timestamp_options(YamlSection& item, ParseTimestampOptions& options) {
  read_parse_source(item,
                    {"source",
                     "Where the time is: a field holding a string or a number (`.fields.ts`), "
                     "or `.message`.",
                     ".fields.time"},
                    options.source);
  item.read_string_list(
      {"formats",
       "Tried in order, the first that reads the whole value wins: `rfc3339` (also ISO 8601 "
       "with a space, a comma before the fraction, or no offset), `unix`, `unix_ms`, `unix_us`, "
       "`unix_ns` (numbers, or digits in a string; `unix` may have a fraction), or a strptime "
       "format such as `%d/%b/%Y:%H:%M:%S %z` (%Y %y %m %d %e %j %H %I %p %M %S %f %L %z %Z %s "
       "%b %B %a %A %T %F %D %R; %S also reads a fraction after it)."},
      options.formats, [](std::string_view text) -> ValueProblem {
        TimestampFormat format;
        return TimestampFormat::compile(text, format);
      });
  if (!item.cataloguing() && options.formats.empty()) item.fail("formats", "must not be empty");
  item.read_string({"timezone",
                    "The zone of a time that states no offset: `UTC`, an offset (`+05:30`), or "
                    "an IANA name (`Europe/Berlin`, from the host's /usr/share/zoneinfo)."},
                   options.timezone, [](std::string_view text) -> ValueProblem {
                     TimeZoneRule zone;
                     return TimeZoneRule::parse(text, zone);
                   });
  item.read_bool({"remove_source", "Remove the source field once its time is read."},
                 options.remove_source);
  read_on_error(item, options.on_error, options.error_field);
}

}  // namespace lc
