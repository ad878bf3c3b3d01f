#include "net/tcp_send_queue.hpp"

#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

namespace lc::net {

std::optional<TcpSendQueue> tcp_send_queue(int descriptor) {
  tcp_info info{};
  socklen_t length = sizeof(info);
  if (::getsockopt(descriptor, IPPROTO_TCP, TCP_INFO, &info, &length) != 0) return std::nullopt;
  if (info.tcpi_state != TCP_ESTABLISHED && info.tcpi_state != TCP_CLOSE_WAIT) return std::nullopt;
  int queued = 0;
  if (::ioctl(descriptor, SIOCOUTQ, &queued) != 0 || queued < 0) return std::nullopt;
  return TcpSendQueue{info.tcpi_state == TCP_ESTABLISHED, static_cast<std::size_t>(queued)};
}

}  // namespace lc::net
