#include "net/tls_client_context.hpp"

#include <stdexcept>

namespace lc::net {

namespace ssl = boost::asio::ssl;

std::unique_ptr<ssl::context> make_tls_client_context(std::string_view peer,
                                                      const TlsClientOptions& files) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  const auto load = [&](const std::string& file, const char* role, auto&& loader) {
    boost::system::error_code error;
    loader(error);
    if (error) {
      throw std::runtime_error("cannot load " + std::string(peer) + " TLS " + role + " '" + file +
                               "': " + error.message());
    }
  };
  if (files.verify) {
    context->set_verify_mode(ssl::verify_peer);
    if (files.ca_file.empty()) {
      load("(system default)", "CA store",
           [&](auto& error) { context->set_default_verify_paths(error); });
    } else {
      load(files.ca_file, "CA file",
           [&](auto& error) { context->load_verify_file(files.ca_file, error); });
    }
  } else {
    context->set_verify_mode(ssl::verify_none);
  }
  if (!files.cert_file.empty()) {
    load(files.cert_file, "certificate",
         [&](auto& error) { context->use_certificate_chain_file(files.cert_file, error); });
    load(files.key_file, "key", [&](auto& error) {
      context->use_private_key_file(files.key_file, ssl::context::pem, error);
    });
  }
  return context;
}

}  // namespace lc::net
