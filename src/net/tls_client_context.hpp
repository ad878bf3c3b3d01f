#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace lc::net {

// What a TLS client (the Docker engine, Loki) is configured with.
struct TlsClientFiles {
  std::string peer;          // for error messages: "Docker", "Loki"
  bool verify = true;        // verify the server's certificate
  std::string ca_file;       // empty: the system's CA store
  std::string cert_file;     // client certificate (with key_file); empty: none
  std::string key_file;
};

// A TLS 1.2+ client context with those files loaded. Throws std::runtime_error naming the file
// that cannot be loaded.
std::unique_ptr<boost::asio::ssl::context> make_tls_client_context(const TlsClientFiles& files);

}  // namespace lc::net
