#include "docker/docker_endpoint.hpp"

#include <charconv>
#include <cstdlib>
#include <stdexcept>

namespace lc::docker {

namespace {

constexpr std::string_view kUnixScheme = "unix://";
constexpr std::string_view kTcpScheme = "tcp://";

[[noreturn]] void fail(std::string_view host, std::string_view why) {
  throw std::invalid_argument("invalid Docker host '" + std::string(host) +
                              "': " + std::string(why));
}

std::uint16_t parse_port(std::string_view host, std::string_view text) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value == 0 || value > 65535) {
    fail(host, "port '" + std::string(text) + "' is not a number in 1..65535");
  }
  return static_cast<std::uint16_t>(value);
}

DockerEndpoint parse_tcp(std::string_view host, std::string_view rest, bool tls) {
  DockerEndpoint endpoint;
  endpoint.transport = DockerEndpoint::Transport::kTcp;
  endpoint.tls = tls;
  // A trailing '/' is harmless; a base path is not supported.
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos)
    fail(host, "a path after host:port is not supported");
  std::string_view name = rest;
  std::string_view port;
  if (rest.starts_with('[')) {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) fail(host, "unterminated '[' in IPv6 address");
    name = rest.substr(1, close - 1);
    auto after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') fail(host, "expected ':' after ']'");
      port = after.substr(1);
      if (port.empty()) fail(host, "empty port");
    }
  } else if (const auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    if (rest.find(':') != colon) fail(host, "IPv6 addresses must be written in brackets");
    name = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty()) fail(host, "empty port");
  }
  if (name.empty()) fail(host, "missing host name");
  endpoint.host = std::string(name);
  endpoint.port = port.empty() ? (tls ? 2376 : 2375) : parse_port(host, port);
  return endpoint;
}

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? std::string(value) : std::string();
}

}  // namespace

std::string DockerEndpoint::host_header() const {
  if (transport == Transport::kUnix) return "docker";
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string DockerEndpoint::describe() const {
  if (transport == Transport::kUnix) return std::string(kUnixScheme) + socket_path;
  return std::string(kTcpScheme) + host_header() + (tls ? " (tls)" : "");
}

DockerEnvironment DockerEnvironment::from_process() {
  return DockerEnvironment{env_or_empty("DOCKER_HOST"), env_or_empty("DOCKER_CERT_PATH"),
                           env_or_empty("DOCKER_TLS_VERIFY"), env_or_empty("HOME")};
}

DockerEndpoint parse_docker_host(std::string_view host, bool tls) {
  if (host.empty()) fail(host, "empty");
  if (host.starts_with(kUnixScheme)) {
    std::string_view path = host.substr(kUnixScheme.size());
    if (path.empty()) fail(host, "missing socket path");
    if (path.front() != '/') fail(host, "the socket path must be absolute (unix:///path)");
    DockerEndpoint endpoint;
    endpoint.transport = DockerEndpoint::Transport::kUnix;
    endpoint.socket_path = std::string(path);
    return endpoint;
  }
  if (host.starts_with(kTcpScheme)) return parse_tcp(host, host.substr(kTcpScheme.size()), tls);
  const auto scheme_end = host.find("://");
  if (scheme_end == std::string_view::npos) {
    fail(host, "missing scheme; use unix:///path or tcp://host:port");
  }
  fail(host, "unsupported scheme '" + std::string(host.substr(0, scheme_end)) +
                 "'; use unix:///path or tcp://host:port");
}

DockerEndpoint resolve_docker_endpoint(const DockerConfig& config, const DockerEnvironment& env) {
  std::string host = config.host;
  if (host.empty()) host = env.docker_host;
  if (host.empty()) host = std::string(kDefaultDockerHost);

  const bool tls = config.tls || !env.docker_tls_verify.empty() || !env.docker_cert_path.empty();
  DockerEndpoint endpoint = parse_docker_host(host, tls);
  if (endpoint.transport != DockerEndpoint::Transport::kTcp) {
    endpoint.tls = false;
    return endpoint;
  }
  endpoint.tls_verify = config.tls_client.verify;
  std::string dir = config.cert_path;
  if (dir.empty()) dir = env.docker_cert_path;
  if (dir.empty() && !env.home.empty()) dir = env.home + "/.docker";
  const auto in_dir = [&](const std::string& override_file, const char* name) {
    if (!override_file.empty()) return override_file;
    return dir.empty() ? std::string(name) : dir + "/" + name;
  };
  endpoint.ca_file = in_dir(config.tls_client.ca_file, "ca.pem");
  endpoint.cert_file = in_dir(config.tls_client.cert_file, "cert.pem");
  endpoint.key_file = in_dir(config.tls_client.key_file, "key.pem");
  return endpoint;
}

}  // namespace lc::docker
