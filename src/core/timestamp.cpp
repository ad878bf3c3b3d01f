#include "core/timestamp.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <limits>

namespace lc {
namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct CivilDate {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

constexpr CivilDate civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}

bool read_digits(std::string_view text, std::size_t pos, std::size_t count, unsigned& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return true;
}

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

void append_digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

constexpr char kTwoDigits[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// The 9 digits of the nanoseconds of every record: two at a time.
void append_nine_digits(char* out, unsigned value) {
  out[8] = static_cast<char>('0' + value % 10);
  value /= 10;
  for (int i = 6; i >= 0; i -= 2) {
    std::memcpy(out + i, kTwoDigits + 2 * (value % 100), 2);
    value /= 100;
  }
}

}  // namespace

std::optional<TimestampNs> parse_rfc3339(std::string_view text) {
  unsigned year, month, day, hour, minute, second;
  if (!read_digits(text, 0, 4, year) || text.size() < 20 || text[4] != '-' ||
      !read_digits(text, 5, 2, month) || text[7] != '-' || !read_digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !read_digits(text, 11, 2, hour) ||
      text[13] != ':' || !read_digits(text, 14, 2, minute) || text[16] != ':' ||
      !read_digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  // Nanoseconds since 1970 in an int64 span 1677-09-21 to 2262-04-11: refuse what cannot fit.
  if (year < 1678 || year > 2261) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t fraction_ns = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    std::int64_t scale = 100'000'000;
    const std::size_t start = pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      fraction_ns += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  std::int64_t offset_seconds = 0;
  if (pos >= text.size()) return std::nullopt;
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    unsigned off_h, off_m;
    if (!read_digits(text, pos + 1, 2, off_h) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !read_digits(text, pos + 4, 2, off_m)) {
      return std::nullopt;
    }
    offset_seconds =
        (text[pos] == '+' ? 1 : -1) * static_cast<std::int64_t>(off_h * 3600 + off_m * 60);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;
  const std::int64_t days = days_from_civil(year, month, day);
  const std::int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_seconds;
  return seconds * kNsPerSecond + fraction_ns;
}

void append_rfc3339_nano(std::string& out, TimestampNs time) {
  std::int64_t seconds = time / kNsPerSecond;
  std::int64_t nanos = time % kNsPerSecond;
  if (nanos < 0) {
    nanos += kNsPerSecond;
    --seconds;
  }
  // Records come in runs of the same second: its date and time of day are formatted once.
  thread_local std::int64_t cached_second = std::numeric_limits<std::int64_t>::min();
  thread_local char cached[19];
  char buf[30];  // "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ"
  if (seconds == cached_second) {
    std::memcpy(buf, cached, sizeof(cached));
    buf[19] = '.';
    append_nine_digits(buf + 20, static_cast<unsigned>(nanos));
    buf[29] = 'Z';
    out.append(buf, sizeof(buf));
    return;
  }
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  const CivilDate date = civil_from_days(days);
  append_digits(buf, static_cast<unsigned>(date.year), 4);
  buf[4] = '-';
  append_digits(buf + 5, date.month, 2);
  buf[7] = '-';
  append_digits(buf + 8, date.day, 2);
  buf[10] = 'T';
  append_digits(buf + 11, static_cast<unsigned>(rem / 3600), 2);
  buf[13] = ':';
  append_digits(buf + 14, static_cast<unsigned>(rem / 60 % 60), 2);
  buf[16] = ':';
  append_digits(buf + 17, static_cast<unsigned>(rem % 60), 2);
  buf[19] = '.';
  append_nine_digits(buf + 20, static_cast<unsigned>(nanos));
  buf[29] = 'Z';
  std::memcpy(cached, buf, sizeof(cached));
  cached_second = seconds;
  out.append(buf, sizeof(buf));
}

std::optional<TimestampNs> Rfc3339Parser::parse(std::string_view text) {
  // The fast path: "<same second>.<1 to 9 digits>Z", as dockerd writes them.
  if (cached_ && text.size() > 21 && text.size() <= 30 && text[19] == '.' && text.back() == 'Z' &&
      std::memcmp(text.data(), prefix_, sizeof(prefix_)) == 0) {
    std::int64_t fraction = 0;
    std::size_t digits = 0;
    for (std::size_t i = 20; i + 1 < text.size(); ++i, ++digits) {
      const char c = text[i];
      if (c < '0' || c > '9') return parse_rfc3339(text);
      fraction = fraction * 10 + (c - '0');
    }
    for (; digits < 9; ++digits) fraction *= 10;
    return second_ns_ + fraction;
  }
  const std::optional<TimestampNs> time = parse_rfc3339(text);
  if (time && *time >= 0 && text.size() >= 20 && text.back() == 'Z' &&
      (text[19] == '.' || text[19] == 'Z')) {
    std::memcpy(prefix_, text.data(), sizeof(prefix_));
    second_ns_ = *time - *time % kNsPerSecond;
    cached_ = true;
  }
  return time;
}

std::string format_rfc3339_nano(TimestampNs time) {
  std::string out;
  append_rfc3339_nano(out, time);
  return out;
}

std::string format_docker_since(TimestampNs time) {
  return fmt::format("{}.{:09d}", time / kNsPerSecond, time % kNsPerSecond);
}

TimestampNs now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace lc
