#include "docker/docker_endpoint.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace lc::docker {
namespace {

using Transport = DockerEndpoint::Transport;

std::string error_of(std::string_view host) {
  try {
    parse_docker_host(host);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "no error";
}

TEST(DockerEndpointTest, ParsesUnixSocket) {
  const auto endpoint = parse_docker_host("unix:///var/run/docker.sock");
  EXPECT_EQ(endpoint.transport, Transport::kUnix);
  EXPECT_EQ(endpoint.socket_path, "/var/run/docker.sock");
  EXPECT_FALSE(endpoint.tls);
  EXPECT_EQ(endpoint.describe(), "unix:///var/run/docker.sock");
  EXPECT_EQ(endpoint.host_header(), "docker");
}

TEST(DockerEndpointTest, ParsesTcpWithAndWithoutPort) {
  auto endpoint = parse_docker_host("tcp://10.1.2.3:4243");
  EXPECT_EQ(endpoint.transport, Transport::kTcp);
  EXPECT_EQ(endpoint.host, "10.1.2.3");
  EXPECT_EQ(endpoint.port, 4243);
  EXPECT_EQ(endpoint.host_header(), "10.1.2.3:4243");

  EXPECT_EQ(parse_docker_host("tcp://docker.example").port, 2375);
  EXPECT_EQ(parse_docker_host("tcp://docker.example", /*tls=*/true).port, 2376);
  EXPECT_EQ(parse_docker_host("tcp://docker.example:2375/").port, 2375);
}

TEST(DockerEndpointTest, ParsesBracketedIpv6) {
  const auto endpoint = parse_docker_host("tcp://[::1]:2376", true);
  EXPECT_EQ(endpoint.host, "::1");
  EXPECT_EQ(endpoint.port, 2376);
  EXPECT_TRUE(endpoint.tls);
  EXPECT_EQ(endpoint.host_header(), "[::1]:2376");
  EXPECT_EQ(endpoint.describe(), "tcp://[::1]:2376 (tls)");
  EXPECT_EQ(parse_docker_host("tcp://[fe80::2]").port, 2375);
}

TEST(DockerEndpointTest, RejectsMalformedHostsWithAClearReason) {
  EXPECT_EQ(error_of(""), "invalid Docker host '': empty");
  EXPECT_EQ(error_of("/var/run/docker.sock"),
            "invalid Docker host '/var/run/docker.sock': missing scheme; use unix:///path or "
            "tcp://host:port");
  EXPECT_EQ(error_of("ssh://me@host"),
            "invalid Docker host 'ssh://me@host': unsupported scheme 'ssh'; use unix:///path or "
            "tcp://host:port");
  EXPECT_EQ(error_of("unix://"), "invalid Docker host 'unix://': missing socket path");
  EXPECT_EQ(error_of("unix://relative.sock"),
            "invalid Docker host 'unix://relative.sock': the socket path must be absolute "
            "(unix:///path)");
  EXPECT_EQ(error_of("tcp://"), "invalid Docker host 'tcp://': missing host name");
  EXPECT_EQ(error_of("tcp://:2375"), "invalid Docker host 'tcp://:2375': missing host name");
  EXPECT_EQ(error_of("tcp://host:"), "invalid Docker host 'tcp://host:': empty port");
  EXPECT_EQ(error_of("tcp://host:abc"),
            "invalid Docker host 'tcp://host:abc': port 'abc' is not a number in 1..65535");
  EXPECT_EQ(error_of("tcp://host:65536"),
            "invalid Docker host 'tcp://host:65536': port '65536' is not a number in 1..65535");
  EXPECT_EQ(error_of("tcp://host:0"),
            "invalid Docker host 'tcp://host:0': port '0' is not a number in 1..65535");
  EXPECT_EQ(error_of("tcp://::1:2375"),
            "invalid Docker host 'tcp://::1:2375': IPv6 addresses must be written in brackets");
  EXPECT_EQ(error_of("tcp://[::1"),
            "invalid Docker host 'tcp://[::1': unterminated '[' in IPv6 "
            "address");
  EXPECT_EQ(error_of("tcp://host:2375/base"),
            "invalid Docker host 'tcp://host:2375/base': a path after host:port is not supported");
}

TEST(DockerEndpointTest, ResolvesDefaultWhenNothingIsSet) {
  const auto endpoint = resolve_docker_endpoint(DockerConfig{}, DockerEnvironment{});
  EXPECT_EQ(endpoint.transport, Transport::kUnix);
  EXPECT_EQ(endpoint.socket_path, "/var/run/docker.sock");
}

TEST(DockerEndpointTest, ConfigHostWinsOverDockerHost) {
  DockerConfig config;
  config.host = "unix:///run/a.sock";
  DockerEnvironment env;
  env.docker_host = "unix:///run/b.sock";
  EXPECT_EQ(resolve_docker_endpoint(config, env).socket_path, "/run/a.sock");
  config.host.clear();
  EXPECT_EQ(resolve_docker_endpoint(config, env).socket_path, "/run/b.sock");
}

TEST(DockerEndpointTest, TlsVerifyFromEnvironmentUsesCertPathFiles) {
  DockerEnvironment env;
  env.docker_host = "tcp://docker.example";
  env.docker_tls_verify = "1";
  env.docker_cert_path = "/etc/docker-certs";
  const auto endpoint = resolve_docker_endpoint(DockerConfig{}, env);
  EXPECT_TRUE(endpoint.tls);
  EXPECT_TRUE(endpoint.tls_verify);
  EXPECT_EQ(endpoint.port, 2376);
  EXPECT_EQ(endpoint.ca_file, "/etc/docker-certs/ca.pem");
  EXPECT_EQ(endpoint.cert_file, "/etc/docker-certs/cert.pem");
  EXPECT_EQ(endpoint.key_file, "/etc/docker-certs/key.pem");
}

TEST(DockerEndpointTest, TlsCertsDefaultToHomeDockerAndConfigFilesOverride) {
  DockerConfig config;
  config.host = "tcp://h:1234";
  config.tls = true;
  config.tls_client.key_file = "/secret/key.pem";
  DockerEnvironment env;
  env.home = "/home/op";
  const auto endpoint = resolve_docker_endpoint(config, env);
  EXPECT_TRUE(endpoint.tls);
  EXPECT_EQ(endpoint.port, 1234);
  EXPECT_EQ(endpoint.ca_file, "/home/op/.docker/ca.pem");
  EXPECT_EQ(endpoint.cert_file, "/home/op/.docker/cert.pem");
  EXPECT_EQ(endpoint.key_file, "/secret/key.pem");
}

TEST(DockerEndpointTest, NoTlsWithoutConfigOrEnvironment) {
  DockerConfig config;
  config.host = "tcp://h:2375";
  const auto endpoint = resolve_docker_endpoint(config, DockerEnvironment{});
  EXPECT_FALSE(endpoint.tls);
  EXPECT_EQ(endpoint.describe(), "tcp://h:2375");
}

TEST(DockerEndpointTest, UnixSocketIgnoresTlsEnvironment) {
  DockerEnvironment env;
  env.docker_host = "unix:///run/docker.sock";
  env.docker_tls_verify = "1";
  EXPECT_FALSE(resolve_docker_endpoint(DockerConfig{}, env).tls);
}

TEST(DockerEndpointTest, MalformedDockerHostFromEnvironmentThrows) {
  DockerEnvironment env;
  env.docker_host = "tcp//oops";
  EXPECT_THROW(resolve_docker_endpoint(DockerConfig{}, env), std::invalid_argument);
}

}  // namespace
}  // namespace lc::docker
