#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lc {

// One RELP frame (rsyslog's Reliable Event Logging Protocol):
// TXNR SP COMMAND SP DATALEN [SP DATA] LF.
struct RelpFrame {
  std::uint32_t txnr = 0;
  std::string command;
  std::string data;
};

// Appends a frame to `out`.
void append_relp_frame(std::uint32_t txnr, std::string_view command, std::string_view data,
                       std::string& out);

// Reads the first frame of `buffer`. Returns the frame and how many bytes it took; nullopt with
// `consumed` 0 when the frame is not whole yet. Throws std::runtime_error when the bytes are not
// a RELP frame (or its data is longer than `max_data`).
std::optional<RelpFrame> parse_relp_frame(std::string_view buffer, std::size_t& consumed,
                                          std::size_t max_data);

// The status of a "rsp" frame's data ("200 OK", "500 reason"): 200 and the text, or the
// number; 0 when the data does not start with three digits.
unsigned relp_response_status(std::string_view data);

}  // namespace lc
