#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/timestamp.hpp"

namespace lc::testing {

// One frame of a non-TTY logs body: [stream][0 0 0][big-endian length] then the payload.
inline std::string docker_frame(std::uint8_t stream, std::string_view payload) {
  const auto length = static_cast<std::uint32_t>(payload.size());
  std::string bytes{static_cast<char>(stream),          0, 0, 0,
                    static_cast<char>(length >> 24), static_cast<char>(length >> 16),
                    static_cast<char>(length >> 8),  static_cast<char>(length)};
  bytes.append(payload);
  return bytes;
}

// One message as dockerd writes it with timestamps=1.
inline std::string docker_message(TimestampNs time, std::string_view content) {
  return format_rfc3339_nano(time) + " " + std::string(content);
}

}  // namespace lc::testing
