#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <string>

#include "docker/docker_client.hpp"
#include "docker/docker_client_metrics.hpp"
#include "docker/docker_connection_pool.hpp"
#include "docker/docker_endpoint.hpp"

namespace lc::docker {

// DockerClient over a resolved endpoint. It must outlive the calls in flight on it; the streams
// it returns are independent and may outlive it.
class DockerClientImpl final : public DockerClient {
 public:
  DockerClientImpl(boost::asio::any_io_executor executor, DockerEndpoint endpoint,
                   const DockerConfig& config, DockerClientMetrics metrics);

  boost::asio::awaitable<std::string> negotiate_version() override;
  boost::asio::awaitable<std::vector<ContainerSummary>> list_containers(bool all) override;
  boost::asio::awaitable<std::optional<ContainerMetadata>> inspect_container(
      const std::string& id) override;
  boost::asio::awaitable<std::unique_ptr<DockerStream>> open_events() override;
  boost::asio::awaitable<std::unique_ptr<DockerStream>> open_logs(const std::string& id,
                                                                  const LogsQuery& query) override;
  void close_idle() override;
  void cancel_all() override;

  const DockerEndpoint& endpoint() const { return endpoint_; }
  const DockerConnectionPool& pool() const { return *pool_; }

 private:
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  // One counted request/response call on a pooled connection, within request_timeout.
  boost::asio::awaitable<Response> get(std::string target);
  boost::asio::awaitable<Response> exchange(const std::string& target);
  // "/v1.41" + path, negotiating the version first when none is known yet.
  boost::asio::awaitable<std::string> versioned(const std::string& path);
  boost::asio::awaitable<std::unique_ptr<DockerStream>> open_stream(std::string path);
  [[noreturn]] void fail_status(const std::string& target, const Response& response);

  boost::asio::any_io_executor executor_;
  DockerEndpoint endpoint_;
  DockerConfig config_;
  DockerClientMetrics metrics_;
  std::unique_ptr<boost::asio::ssl::context> tls_context_;
  std::unique_ptr<DockerConnectionPool> pool_;
  std::string api_version_;  // empty until negotiated or configured
};

}  // namespace lc::docker
