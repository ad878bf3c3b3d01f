#pragma once

#include <cstdint>
#include <string>

namespace lc::net {

// The TLS keys every client component has, with the same names wherever they appear
// (docker.*, sinks.<name>.* of an HTTPS sink): tls_verify, ca_file, cert_file, key_file.
struct TlsClientOptions {
  bool verify = true;     // YAML tls_verify: verify the server's certificate and host name
  std::string ca_file;    // empty: the system's CA store
  std::string cert_file;  // client certificate (with key_file); empty: none
  std::string key_file;
  // The files' contents when the configuration was read (config/file_fingerprint.hpp): a
  // renewed certificate makes the options differ, so a reload rebuilds what uses them.
  std::uint64_t files_fingerprint = 0;

  bool operator==(const TlsClientOptions&) const = default;
};

}  // namespace lc::net
