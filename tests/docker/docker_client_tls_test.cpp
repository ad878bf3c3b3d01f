// TLS with client certificates, the DOCKER_CERT_PATH layout (ca.pem, cert.pem, key.pem),
// against an in-process TLS server that requires a client certificate signed by the CA.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "docker/docker_client.hpp"
#include "docker/docker_client_metrics.hpp"
#include "docker_test_support.hpp"
#include "metrics/metrics_registry.hpp"

namespace lc::docker {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;
using testing::run_bounded;

// A CA, a server certificate for "localhost" and a client certificate, made with the openssl
// CLI in a fresh directory laid out as DOCKER_CERT_PATH expects.
class CertificateDirectory {
 public:
  CertificateDirectory() {
    char pattern[] = "/tmp/lc-docker-tls-XXXXXX";
    dir_ = ::mkdtemp(pattern);
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "
        "/CN=lc-test-ca "
        "-keyout ca-key.pem -out ca.pem");
    issue("server", "/CN=localhost", "subjectAltName=DNS:localhost");
    issue("client", "/CN=lc-client", "extendedKeyUsage=clientAuth");
    std::filesystem::rename(dir_ + "/client-cert.pem", dir_ + "/cert.pem");
    std::filesystem::rename(dir_ + "/client-key.pem", dir_ + "/key.pem");
  }
  ~CertificateDirectory() { std::filesystem::remove_all(dir_); }
  const std::string& path() const { return dir_; }

 private:
  void run(const std::string& command) {
    const std::string full = "cd '" + dir_ + "' && " + command + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(full.c_str()), 0) << full;
  }
  void issue(const std::string& name, const std::string& subject, const std::string& extension) {
    run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj " + subject +
        " -keyout " + name + "-key.pem -out " + name + ".csr");
    run("printf '" + extension + "\\n' > " + name + ".ext && openssl x509 -req -in " + name +
        ".csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile " + name +
        ".ext -out " + name + "-cert.pem");
  }
  std::string dir_;
};

// Answers /version over TLS, and counts handshakes that failed (e.g. no client certificate).
struct TlsVersionServer {
  TlsVersionServer(asio::io_context& io, const std::string& certs)
      : context(asio::ssl::context::tls_server),
        acceptor(io, {asio::ip::make_address("127.0.0.1"), 0}) {
    context.use_certificate_chain_file(certs + "/server-cert.pem");
    context.use_private_key_file(certs + "/server-key.pem", asio::ssl::context::pem);
    context.load_verify_file(certs + "/ca.pem");
    context.set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
    asio::co_spawn(io, accept_loop(), asio::detached);
  }
  ~TlsVersionServer() { acceptor.close(); }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      boost::system::error_code error;
      auto socket =
          co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
      if (error) co_return;
      asio::co_spawn(acceptor.get_executor(), serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve(tcp::socket socket) {
    asio::ssl::stream<tcp::socket> stream(std::move(socket), context);
    boost::system::error_code error;
    co_await stream.async_handshake(asio::ssl::stream_base::server,
                                    asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      ++failed_handshakes;
      co_return;
    }
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    co_await http::async_read(stream, buffer, request,
                              asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return;
    http::response<http::string_body> response(http::status::ok, 11);
    response.body() = R"({"ApiVersion":"1.41"})";
    response.prepare_payload();
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, error));
  }

  std::string host() const {
    return "tcp://localhost:" + std::to_string(acceptor.local_endpoint().port());
  }

  asio::ssl::context context;
  tcp::acceptor acceptor;
  int failed_handshakes = 0;
};

class DockerClientTlsTest : public ::testing::Test {
 protected:
  CertificateDirectory certs_;
  asio::io_context io_;
  TlsVersionServer server_{io_, certs_.path()};
  MetricsRegistry registry_;
  DockerClientMetrics metrics_ = DockerClientMetrics::register_on(registry_);
};

TEST_F(DockerClientTlsTest, ConnectsWithClientCertificateFromCertPath) {
  DockerConfig config;
  config.host = server_.host();
  config.tls = true;
  config.cert_path = certs_.path();
  auto client = make_docker_client(io_.get_executor(), config, registry_);
  EXPECT_EQ(run_bounded(io_, client->negotiate_version(), std::chrono::seconds(10)), "1.41");
  EXPECT_EQ(server_.failed_handshakes, 0);
  EXPECT_EQ(metrics_.http.errors.value(), 0u);
}

TEST_F(DockerClientTlsTest, ServerRejectsAClientWithoutCertificate) {
  const std::string bare = certs_.path() + "/bare";
  std::filesystem::create_directory(bare);
  std::filesystem::copy_file(certs_.path() + "/ca.pem", bare + "/ca.pem");
  DockerConfig config;
  config.host = server_.host();
  config.tls = true;
  config.cert_path = bare;  // CA only: no client certificate to present
  auto client = make_docker_client(io_.get_executor(), config, registry_);
  EXPECT_THROW(run_bounded(io_, client->negotiate_version(), std::chrono::seconds(10)),
               boost::system::system_error);
  EXPECT_EQ(metrics_.http.errors.value(), 1u);
}

TEST_F(DockerClientTlsTest, ClientRejectsAServerItsCaDidNotSign) {
  CertificateDirectory other;  // another CA, same layout
  DockerConfig config;
  config.host = server_.host();
  config.tls = true;
  config.cert_path = other.path();
  auto client = make_docker_client(io_.get_executor(), config, registry_);
  try {
    run_bounded(io_, client->negotiate_version(), std::chrono::seconds(10));
    FAIL() << "no error";
  } catch (const boost::system::system_error& error) {
    EXPECT_NE(std::string(error.what()).find("connect to Docker at tcp://localhost:"),
              std::string::npos)
        << error.what();
    EXPECT_NE(std::string(error.what()).find("certificate verify failed"), std::string::npos)
        << error.what();
  }
}

TEST_F(DockerClientTlsTest, MissingCaFileIsAClearConfigurationError) {
  DockerConfig config;
  config.host = server_.host();
  config.tls = true;
  config.cert_path = certs_.path() + "/does-not-exist";
  try {
    make_docker_client(io_.get_executor(), config, registry_);
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_EQ(
        std::string(error.what())
            .find("cannot load Docker TLS CA file '" + certs_.path() + "/does-not-exist/ca.pem'"),
        0u)
        << error.what();
  }
}

}  // namespace
}  // namespace lc::docker
