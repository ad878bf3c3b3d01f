#include "config/tls_client_reader.hpp"

#include "config/yaml_section.hpp"

namespace lc {

void read_tls_client_options(YamlSection& section, net::TlsClientOptions& options) {
  section.read_bool("tls_verify", options.verify);
  section.read_string("ca_file", options.ca_file);
  section.read_string("cert_file", options.cert_file);
  section.read_string("key_file", options.key_file);
}

}  // namespace lc
