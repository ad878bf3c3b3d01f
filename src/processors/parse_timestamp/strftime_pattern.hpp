#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "processors/parse_timestamp/broken_down_time.hpp"

namespace lc {

// A strptime-style format ("%d/%b/%Y:%H:%M:%S %z"), compiled once and matched against whole
// texts. Written by hand rather than with strptime(3) or date::parse: those go through the C
// locale and an istream, several times the cost of the line itself on the hot path. Directives:
// %Y %y %m %d %e %j %H %I %p %M %S %f %L %z %Z %s %b %h %B %a %A %T %F %D %R %n %t %%.
class StrftimePattern {
 public:
  // Compiles `format`; a problem names the directive it cannot read, or says the format names
  // no day.
  static std::optional<std::string> compile(std::string_view format, StrftimePattern& out);

  // Reads the whole of `text` (trailing spaces allowed); false when it does not match.
  bool match(std::string_view text, BrokenDownTime& out) const;

 private:
  struct Step {
    enum class Kind { kLiteral, kSpace, kDirective } kind;
    char value;  // the literal character, or the directive's letter
  };
  std::vector<Step> steps_;
};

}  // namespace lc
