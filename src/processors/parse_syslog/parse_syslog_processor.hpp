#pragma once

#include "processors/common/stateless_text_parser.hpp"
#include "processors/parse_syslog/parse_syslog_options.hpp"
#include "processors/parse_syslog/syslog_fields.hpp"

namespace lc {

// processors: - type: parse_syslog. Parses each record's message (or a string field) as
// an RFC 5424 or RFC 3164 syslog line into its fields; a line that is neither passes per on_error,
// counted.
using ParseSyslogProcessor = StatelessTextParser<ParseSyslogOptions, parse_syslog_fields>;

}  // namespace lc
