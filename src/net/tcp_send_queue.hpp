#pragma once

#include <cstddef>
#include <optional>

namespace lc::net {

// What the kernel says of a TCP socket's sending side.
struct TcpSendQueue {
  bool established = false;  // false: the peer closed its side (its FIN came)
  // Bytes written that the peer's TCP has not acknowledged yet (SIOCOUTQ).
  std::size_t unacknowledged = 0;
};

// The send queue of the TCP socket `descriptor`; nullopt once the connection is reset or closed,
// when the kernel has dropped the queue and the count says nothing about what the peer took.
std::optional<TcpSendQueue> tcp_send_queue(int descriptor);

}  // namespace lc::net
