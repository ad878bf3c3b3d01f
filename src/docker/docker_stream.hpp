#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <memory>
#include <span>

#include "docker/docker_client.hpp"
#include "docker/docker_client_metrics.hpp"
#include "docker/docker_connection.hpp"
#include "docker/docker_http.hpp"

namespace lc::docker {

// A follow response (logs, events) read incrementally on a connection of its own. Counted in
// the stream metrics from construction; closed exactly once, by close() or the destructor.
class DockerHttpStream final : public DockerStream {
 public:
  DockerHttpStream(std::unique_ptr<DockerConnection> connection, DockerStreamMetrics metrics);
  ~DockerHttpStream() override;

  // Sends `request` and reads the response head. Throws DockerApiError (with Docker's message)
  // for a non-2xx status, system_error for transport errors.
  boost::asio::awaitable<void> start(DockerRequest request);

  boost::asio::awaitable<std::size_t> read_some(std::span<char> buffer) override;
  void close() override;

 private:
  void parse_buffered(boost::beast::http::buffer_body::value_type& body,
                      boost::system::error_code& error);

  std::unique_ptr<DockerConnection> connection_;
  DockerStreamMetrics metrics_;  // references into the registry: the client may go first
  std::string target_;           // for messages
  // Bounded: the head, plus whatever the engine sent ahead of the caller's reads.
  boost::beast::flat_buffer buffer_{1024 * 1024};
  boost::beast::http::response_parser<boost::beast::http::buffer_body> parser_;
  bool closed_ = false;
};

}  // namespace lc::docker
