#pragma once

#include "net/tls_client_options.hpp"

namespace lc {

class YamlSection;

// The TLS keys of a client component, the same for all (docker.*, an HTTPS sink's):
// tls_verify, ca_file, cert_file, key_file.
void read_tls_client_options(YamlSection& section, net::TlsClientOptions& options);

}  // namespace lc
