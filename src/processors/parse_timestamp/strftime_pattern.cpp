#include "processors/parse_timestamp/strftime_pattern.hpp"

#include <array>
#include <cctype>
#include <string_view>

namespace lc {
namespace {

using namespace std::string_view_literals;

constexpr std::array<std::string_view, 12> kMonthNames = {
    "january"sv, "february"sv, "march"sv,     "april"sv,   "may"sv,      "june"sv,
    "july"sv,    "august"sv,   "september"sv, "october"sv, "november"sv, "december"sv};
constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "sunday"sv, "monday"sv, "tuesday"sv, "wednesday"sv, "thursday"sv, "friday"sv, "saturday"sv};

// The directives that stand for others, expanded when compiling.
std::string_view expansion(char directive) {
  switch (directive) {
    case 'T':
      return "%H:%M:%S"sv;
    case 'F':
      return "%Y-%m-%d"sv;
    case 'D':
      return "%m/%d/%y"sv;
    case 'R':
      return "%H:%M"sv;
    default:
      return {};
  }
}

constexpr std::string_view kDirectives = "YymdejHIpMSfLzZsbhBaA"sv;

// The text being matched, consumed from the front.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool done() const { return text_.empty(); }
  char peek() const { return text_.empty() ? '\0' : text_.front(); }
  void skip(std::size_t count) { text_.remove_prefix(count); }
  void skip_spaces() {
    while (!text_.empty() && std::isspace(static_cast<unsigned char>(text_.front()))) skip(1);
  }

  // Between `min` and `max` decimal digits, as a number.
  bool digits(int min, int max, int& out) {
    std::int64_t value = 0;
    if (!digits64(min, max, value)) return false;
    out = static_cast<int>(value);
    return true;
  }
  bool digits64(int min, int max, std::int64_t& out) {
    out = 0;
    int count = 0;
    while (count < max && !text_.empty() && text_.front() >= '0' && text_.front() <= '9') {
      out = out * 10 + (text_.front() - '0');
      skip(1);
      ++count;
    }
    return count >= min;
  }

  // 1 to 9 fraction digits as nanoseconds; more digits are read and ignored.
  bool fraction(int& nanos) {
    nanos = 0;
    int count = 0;
    while (!text_.empty() && text_.front() >= '0' && text_.front() <= '9') {
      if (count < 9) nanos = nanos * 10 + (text_.front() - '0');
      skip(1);
      ++count;
    }
    for (int i = count; i < 9; ++i) nanos *= 10;
    return count > 0;
  }

  // One of `names`, in full or by its first three letters, any case: its index.
  template <std::size_t N>
  bool name(const std::array<std::string_view, N>& names, int& out) {
    for (std::size_t i = 0; i < N; ++i) {
      const std::size_t length = matching_prefix(names[i]);
      if (length == names[i].size() || length == 3) {
        skip(length);
        out = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }

  // "Z", "+hh", "+hhmm" or "+hh:mm".
  bool offset(std::int32_t& out) {
    if (peek() == 'Z' || peek() == 'z') {
      skip(1);
      out = 0;
      return true;
    }
    if (peek() != '+' && peek() != '-') return false;
    const int sign = peek() == '-' ? -1 : 1;
    skip(1);
    int hours = 0;
    int minutes = 0;
    if (!digits(2, 2, hours)) return false;
    if (peek() == ':') skip(1);
    if (peek() >= '0' && peek() <= '9' && !digits(2, 2, minutes)) return false;
    if (hours > 18 || minutes > 59) return false;
    out = sign * (hours * 3600 + minutes * 60);
    return true;
  }

  // A zone abbreviation: UTC, GMT and Z set offset 0; others (CET, EST: ambiguous) are read
  // over, leaving the configured time zone.
  bool zone_name(std::optional<std::int32_t>& offset) {
    std::size_t length = 0;
    while (length < text_.size() && std::isalpha(static_cast<unsigned char>(text_[length]))) {
      ++length;
    }
    if (length == 0) return false;
    const std::string_view name = text_.substr(0, length);
    if (name == "UTC"sv || name == "GMT"sv || name == "Z"sv) offset = 0;
    skip(length);
    return true;
  }

 private:
  std::size_t matching_prefix(std::string_view name) const {
    std::size_t length = 0;
    while (length < name.size() && length < text_.size() &&
           std::tolower(static_cast<unsigned char>(text_[length])) == name[length]) {
      ++length;
    }
    return length;
  }

  std::string_view text_;
};

// %S reads a fraction after the seconds (".123" or ",123") unless the format itself goes on
// with one of those characters.
bool seconds(Cursor& in, bool fraction_allowed, BrokenDownTime& out) {
  if (!in.digits(1, 2, out.second)) return false;
  if (fraction_allowed && (in.peek() == '.' || in.peek() == ',')) {
    in.skip(1);
    return in.fraction(out.nanos);
  }
  return true;
}

bool directive(char letter, Cursor& in, bool fraction_allowed, BrokenDownTime& out) {
  int value = 0;
  switch (letter) {
    case 'Y': {
      if (!in.digits(4, 4, value)) return false;
      out.year = value;
      return true;
    }
    case 'y': {
      if (!in.digits(2, 2, value)) return false;
      out.year = value < 69 ? 2000 + value : 1900 + value;  // POSIX's pivot
      return true;
    }
    case 'm':
      return in.digits(1, 2, out.month);
    case 'e':
      in.skip_spaces();
      return in.digits(1, 2, out.day);
    case 'd':
      return in.digits(1, 2, out.day);
    case 'j':
      return in.digits(1, 3, out.day_of_year) && out.day_of_year > 0;
    case 'H':
      return in.digits(1, 2, out.hour);
    case 'I': {
      if (!in.digits(1, 2, value)) return false;
      out.hour12 = value;
      return true;
    }
    case 'p': {
      static constexpr std::array<std::string_view, 2> kHalves = {"am"sv, "pm"sv};
      if (!in.name(kHalves, value)) return false;
      out.pm = value == 1;
      return true;
    }
    case 'M':
      return in.digits(1, 2, out.minute);
    case 'S':
      return seconds(in, fraction_allowed, out);
    case 'f':
    case 'L':
      return in.fraction(out.nanos);
    case 'z': {
      std::int32_t offset = 0;
      if (!in.offset(offset)) return false;
      out.offset_seconds = offset;
      return true;
    }
    case 'Z':
      return in.zone_name(out.offset_seconds);
    case 's': {
      std::int64_t epoch = 0;
      if (!in.digits64(1, 12, epoch)) return false;
      out.epoch_seconds = epoch;
      return true;
    }
    case 'b':
    case 'h':
    case 'B': {
      if (!in.name(kMonthNames, value)) return false;
      out.month = value + 1;
      return true;
    }
    case 'a':
    case 'A':
      return in.name(kWeekdayNames, value);
    default:
      return false;
  }
}

}  // namespace

std::optional<std::string> StrftimePattern::compile(std::string_view format, StrftimePattern& out) {
  out.steps_.clear();
  std::string expanded;  // %T, %F, %D, %R replaced by what they stand for
  for (std::size_t i = 0; i < format.size(); ++i) {
    if (format[i] != '%' || i + 1 == format.size()) {
      expanded += format[i];
    } else if (const std::string_view stands_for = expansion(format[i + 1]); !stands_for.empty()) {
      expanded += stands_for;
      ++i;
    } else {  // "%%" or a directive: both characters as they are, so "%%T" stays a '%' and 'T'
      expanded += format.substr(i, 2);
      ++i;
    }
  }
  bool has_day = false;
  bool has_month = false;
  bool has_epoch = false;
  for (std::size_t i = 0; i < expanded.size(); ++i) {
    const char c = expanded[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      out.steps_.push_back({Step::Kind::kSpace, ' '});
      continue;
    }
    if (c != '%') {
      out.steps_.push_back({Step::Kind::kLiteral, c});
      continue;
    }
    if (++i == expanded.size()) return "ends with a lone %";
    const char letter = expanded[i];
    if (letter == '%') {
      out.steps_.push_back({Step::Kind::kLiteral, '%'});
    } else if (letter == 'n' || letter == 't') {
      out.steps_.push_back({Step::Kind::kSpace, ' '});
    } else if (kDirectives.find(letter) != std::string_view::npos) {
      out.steps_.push_back({Step::Kind::kDirective, letter});
      has_day |= letter == 'd' || letter == 'e' || letter == 'j';
      has_month |=
          letter == 'm' || letter == 'b' || letter == 'h' || letter == 'B' || letter == 'j';
      has_epoch |= letter == 's';
    } else {
      return std::string("%") + letter +
             " is not a directive this reader knows (it reads %Y %y %m %d %e %j %H %I %p %M %S "
             "%f %L %z %Z %s %b %h %B %a %A %T %F %D %R %n %t %%)";
    }
  }
  if (!has_epoch && !(has_day && has_month)) {
    return "names no date: it needs a day and a month (%d or %e, and %m, %b or %B; or %j), or "
           "%s";
  }
  return std::nullopt;
}

bool StrftimePattern::match(std::string_view text, BrokenDownTime& out) const {
  out = BrokenDownTime();
  Cursor in(text);
  for (std::size_t i = 0; i < steps_.size(); ++i) {
    const Step& step = steps_[i];
    switch (step.kind) {
      case Step::Kind::kSpace:
        in.skip_spaces();
        break;
      case Step::Kind::kLiteral:
        if (in.done() || in.peek() != step.value) return false;
        in.skip(1);
        break;
      case Step::Kind::kDirective: {
        const bool next_is_separator = i + 1 < steps_.size() &&
                                       steps_[i + 1].kind == Step::Kind::kLiteral &&
                                       (steps_[i + 1].value == '.' || steps_[i + 1].value == ',');
        if (!directive(step.value, in, !next_is_separator, out)) return false;
        break;
      }
    }
  }
  in.skip_spaces();
  return in.done();
}

}  // namespace lc
