#include "config/tls_client_reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "config/config_value_checks.hpp"
#include "config/file_fingerprint.hpp"
#include "config/yaml_section.hpp"

namespace lc {
namespace {

// A missing certificate is a configuration error, reported at its key when the file is read,
// rather than a failed handshake at the first connection.
ValueProblem check_readable_file(std::string_view path) {
  if (path.empty()) return std::nullopt;
  // Opened, not access()ed: what counts is the effective user's right to read it.
  const std::string name(path);
  const int descriptor = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0) {
    return fmt::format("cannot read {}: {}", quote_for_message(path), std::strerror(errno));
  }
  ::close(descriptor);
  return std::nullopt;
}

}  // namespace

void read_tls_client_options(YamlSection& section, net::TlsClientOptions& options) {
  section.read_bool({"tls_verify",
                     "Verify the server's certificate against the CA, and that it names the host "
                     "connected to."},
                    options.verify);
  section.read_string(
      {"ca_file",
       "CA certificate(s) to verify the server with. Empty: `<cert_path>/ca.pem` "
       "for Docker with a certificate directory (`cert_path`, `$DOCKER_CERT_PATH`), else the "
       "system's CA store."},
      options.ca_file, check_readable_file);
  section.read_string({"cert_file",
                       "Client certificate (with `key_file`) for mutual TLS. Empty: "
                       "`<cert_path>/cert.pem` for Docker with a certificate directory."},
                      options.cert_file, check_readable_file);
  section.read_string({"key_file",
                       "The client certificate's private key. Empty: `<cert_path>/key.pem` for "
                       "Docker with a certificate directory."},
                      options.key_file, check_readable_file);
  options.files_fingerprint =
      fingerprint_files({options.ca_file, options.cert_file, options.key_file});
}

}  // namespace lc
