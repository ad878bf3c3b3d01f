#include "net/tcp_resolve.hpp"

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lc::net {

namespace asio = boost::asio;

asio::awaitable<std::vector<asio::ip::tcp::endpoint>> resolve_tcp(const std::string& host,
                                                                  std::uint16_t port) {
  boost::system::error_code not_an_address;
  // "[::1]" as URLs write it, or a bare address.
  const std::string bare = host.size() > 2 && host.front() == '[' && host.back() == ']'
                               ? host.substr(1, host.size() - 2)
                               : host;
  const asio::ip::address address = asio::ip::make_address(bare, not_an_address);
  if (!not_an_address) co_return std::vector{asio::ip::tcp::endpoint(address, port)};
  asio::ip::tcp::resolver resolver(co_await asio::this_coro::executor);
  const auto results =
      co_await resolver.async_resolve(host, std::to_string(port), asio::use_awaitable);
  std::vector<asio::ip::tcp::endpoint> endpoints;
  for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  co_return endpoints;
}

}  // namespace lc::net
