#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/agent_config.hpp"
#include "core/container_metadata.hpp"
#include "core/timestamp.hpp"

namespace lc {
class MetricsRegistry;
}

namespace lc::docker {

// One entry of GET /containers/json.
struct ContainerSummary {
  std::string id;
  std::string name;  // first of Names, without '/'
  std::string image;
  std::string state;  // "running", "exited"...
};

// A long-lived response body (logs?follow=1, /events): owns its own connection (never
// pooled) and closes it in its destructor or on close(), whatever the path.
class DockerStream {
 public:
  virtual ~DockerStream() = default;
  // Reads some of the (de-chunked) body into `buffer` as soon as any is available.
  // Returns 0 at the end of the body. Throws boost::system::system_error on errors;
  // after close() a pending read fails with operation_aborted.
  virtual boost::asio::awaitable<std::size_t> read_some(std::span<char> buffer) = 0;
  // Closes the connection; safe to call more than once. Must be called on the stream's
  // executor (the one of the coroutine that reads).
  virtual void close() = 0;
};

struct LogsQuery {
  bool follow = true;
  TimestampNs since = 0;  // 0: from the beginning of the log
  TimestampNs until = 0;  // 0: no limit
  // Only the last `tail` lines (before following); none: all of them. A follow with tail 0
  // starts at the log's current end, and dockerd watches for rotations from that instant.
  std::optional<std::uint32_t> tail;
};

// Thrown for HTTP statuses the caller did not expect (message: status and Docker's message).
struct DockerApiError : std::runtime_error {
  DockerApiError(unsigned status, const std::string& message)
      : std::runtime_error(message), status(status) {}
  unsigned status;
};

// The Docker Engine API over a Unix socket, TCP or TLS. Request/response calls share a
// keep-alive connection pool; streams get a connection of their own. Single-threaded: use it
// from coroutines on the executor it was made with.
class DockerClient {
 public:
  virtual ~DockerClient() = default;

  // GET /version; afterwards every path is prefixed with /v<ApiVersion> (or the configured
  // api_version). Returns the version in use, e.g. "1.41".
  virtual boost::asio::awaitable<std::string> negotiate_version() = 0;
  virtual boost::asio::awaitable<std::vector<ContainerSummary>> list_containers(bool all) = 0;
  // nullopt when the container does not exist (404).
  virtual boost::asio::awaitable<std::optional<ContainerMetadata>> inspect_container(
      const std::string& id) = 0;
  // GET /events filtered to type=container; the body is newline-delimited JSON objects.
  virtual boost::asio::awaitable<std::unique_ptr<DockerStream>> open_events() = 0;
  // GET /containers/{id}/logs?stdout=1&stderr=1&timestamps=1&follow=..&since=..
  virtual boost::asio::awaitable<std::unique_ptr<DockerStream>> open_logs(
      const std::string& id, const LogsQuery& query) = 0;
  // Closes idle pooled connections (shutdown).
  virtual void close_idle() = 0;
  // Shutdown: closes every pooled connection, in use or idle, so calls in flight end at once
  // (operation_aborted) instead of after request_timeout, and refuses further calls. Streams
  // are not affected (their owners close them).
  virtual void cancel_all() = 0;
};

// DOCKER_HOST / DOCKER_CERT_PATH / DOCKER_TLS_VERIFY fill what `config` leaves empty.
// Registers the log_capturer_docker_http_* metrics on `metrics`.
std::unique_ptr<DockerClient> make_docker_client(boost::asio::any_io_executor executor,
                                                 const DockerConfig& config,
                                                 MetricsRegistry& metrics);

}  // namespace lc::docker
