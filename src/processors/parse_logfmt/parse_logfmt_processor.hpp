#pragma once

#include "processors/common/stateless_text_parser.hpp"
#include "processors/parse_logfmt/logfmt_fields.hpp"
#include "processors/parse_logfmt/parse_logfmt_options.hpp"

namespace lc {

// processors: - type: parse_logfmt. Parses each record's message (or a string field) as
// logfmt into its fields; a line without a key=value pair passes per on_error, counted.
using ParseLogfmtProcessor = StatelessTextParser<ParseLogfmtOptions, parse_logfmt_fields>;

}  // namespace lc
