#include "sinks/syslog/relp_frame.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <stdexcept>

namespace lc {
namespace {

// RELP's limits: TXNR and DATALEN have at most 9 digits, a command at most 32 letters.
constexpr std::size_t kMaxDigits = 9;
constexpr std::size_t kMaxCommand = 32;

[[noreturn]] void not_relp(std::string_view buffer, std::string_view what) {
  throw std::runtime_error(fmt::format("not a RELP frame ({}): '{}'", what,
                                       buffer.substr(0, std::min<std::size_t>(buffer.size(), 40))));
}

// Reads a number ending at the next space (or LF when `lf_ends`). nullopt: more bytes needed.
std::optional<std::uint32_t> read_number(std::string_view buffer, std::size_t& at, bool lf_ends) {
  std::size_t end = at;
  while (end < buffer.size() && std::isdigit(static_cast<unsigned char>(buffer[end]))) ++end;
  if (end - at > kMaxDigits) not_relp(buffer, "a number too long");
  if (end == buffer.size()) return std::nullopt;
  if (end == at || (buffer[end] != ' ' && !(lf_ends && buffer[end] == '\n'))) {
    not_relp(buffer, "a number expected");
  }
  std::uint32_t value = 0;
  std::from_chars(buffer.data() + at, buffer.data() + end, value);
  at = end;
  return value;
}

}  // namespace

void append_relp_frame(std::uint32_t txnr, std::string_view command, std::string_view data,
                       std::string& out) {
  fmt::format_to(std::back_inserter(out), "{} {} {}", txnr, command, data.size());
  if (!data.empty()) {
    out += ' ';
    out += data;
  }
  out += '\n';
}

std::optional<RelpFrame> parse_relp_frame(std::string_view buffer, std::size_t& consumed,
                                          std::size_t max_data) {
  consumed = 0;
  RelpFrame frame;
  std::size_t at = 0;
  const auto txnr = read_number(buffer, at, false);
  if (!txnr) return std::nullopt;
  frame.txnr = *txnr;
  ++at;  // the space
  const std::size_t command_start = at;
  while (at < buffer.size() && std::isalpha(static_cast<unsigned char>(buffer[at]))) ++at;
  if (at - command_start > kMaxCommand) not_relp(buffer, "a command too long");
  if (at == buffer.size()) return std::nullopt;
  if (at == command_start || buffer[at] != ' ') not_relp(buffer, "a command expected");
  frame.command = std::string(buffer.substr(command_start, at - command_start));
  ++at;
  const auto length = read_number(buffer, at, true);
  if (!length) return std::nullopt;
  if (*length > max_data) not_relp(buffer, "data longer than expected");
  if (*length > 0) {
    if (buffer[at] != ' ') not_relp(buffer, "a space before the data expected");
    ++at;
    if (buffer.size() < at + *length + 1) return std::nullopt;
    frame.data = std::string(buffer.substr(at, *length));
    at += *length;
  } else if (at >= buffer.size()) {
    return std::nullopt;
  }
  if (buffer[at] != '\n') not_relp(buffer, "a trailing newline expected");
  consumed = at + 1;
  return frame;
}

unsigned relp_response_status(std::string_view data) {
  unsigned status = 0;
  if (data.size() < 3) return 0;
  const auto [end, error] = std::from_chars(data.data(), data.data() + 3, status);
  return error == std::errc() && end == data.data() + 3 ? status : 0;
}

}  // namespace lc
