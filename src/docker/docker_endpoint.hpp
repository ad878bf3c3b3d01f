#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/agent_config.hpp"

namespace lc::docker {

// Where the Docker engine listens and how to secure the connection, resolved once from the
// config and the DOCKER_* environment conventions.
struct DockerEndpoint {
  enum class Transport { kUnix, kTcp };
  Transport transport = Transport::kUnix;
  std::string socket_path;  // kUnix
  std::string host;         // kTcp: name or address (IPv6 without brackets)
  std::uint16_t port = 0;   // kTcp
  // TLS applies to kTcp only (as in Docker's own client, a Unix socket ignores it).
  bool tls = false;
  bool tls_verify = true;
  std::string ca_file;
  std::string cert_file;
  std::string key_file;

  // The Host header value: the engine ignores it on a Unix socket but HTTP/1.1 needs one.
  std::string host_header() const;
  // "unix:///var/run/docker.sock", "tcp://10.0.0.1:2376 (tls)": for messages and logs.
  std::string describe() const;
};

// The DOCKER_* variables, captured separately so that resolution is testable.
struct DockerEnvironment {
  std::string docker_host;        // DOCKER_HOST
  std::string docker_cert_path;   // DOCKER_CERT_PATH
  std::string docker_tls_verify;  // DOCKER_TLS_VERIFY
  std::string home;               // HOME, for the default cert path ~/.docker

  static DockerEnvironment from_process();
};

inline constexpr std::string_view kDefaultDockerHost = "unix:///var/run/docker.sock";

// Parses "unix:///path" or "tcp://host[:port]" ("[v6]:port" too). Without a port, tcp uses
// 2375, or 2376 when `tls`. Throws std::invalid_argument naming the bad host and why.
DockerEndpoint parse_docker_host(std::string_view host, bool tls = false);

// config.host, else DOCKER_HOST, else unix:///var/run/docker.sock. TLS when config.tls,
// DOCKER_TLS_VERIFY is non-empty or DOCKER_CERT_PATH is set; certificates from the config's
// files, else <cert path>/{ca,cert,key}.pem with cert path = config.cert_path, else
// DOCKER_CERT_PATH, else ~/.docker. Throws std::invalid_argument on a malformed host.
DockerEndpoint resolve_docker_endpoint(const DockerConfig& config, const DockerEnvironment& env);

}  // namespace lc::docker
