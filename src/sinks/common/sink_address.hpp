#pragma once

#include <cstdint>
#include <string>

namespace lc {

// Where a sink connects: a host (a name, or an address with IPv6 unbracketed) and a port, and
// how messages name it ("https://loki:3100/loki/api/v1/push", "tcp://syslog:514").
struct SinkAddress {
  std::string host;
  std::uint16_t port = 0;
  std::string description;
};

}  // namespace lc
