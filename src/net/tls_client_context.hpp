#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "net/tls_client_options.hpp"

namespace lc::net {

// A TLS 1.2+ client context with those files loaded. Throws std::runtime_error naming the file
// that cannot be loaded; `peer` names the server in it ("Docker", "Loki").
std::unique_ptr<boost::asio::ssl::context> make_tls_client_context(std::string_view peer,
                                                                   const TlsClientOptions& files);

}  // namespace lc::net
