#include "docker/docker_client_impl.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>
#include <nlohmann/json.hpp>

#include "docker/container_inspect.hpp"
#include "docker/docker_http.hpp"
#include "docker/docker_stream.hpp"
#include "net/with_timeout.hpp"

namespace lc::docker {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// Bounds what one answer may cost in memory; a host's container list is far below it.
constexpr std::uint64_t kMaxResponseBytes = 64ull * 1024 * 1024;

bool is_success(unsigned status) { return status >= 200 && status < 300; }

// A malformed 2xx answer: counted as a failed call, reported like a transport error.
[[noreturn]] void fail_malformed(const std::string& target, const char* expected) {
  throw std::runtime_error("Docker API GET " + target + ": answer is not " + expected);
}

}  // namespace

DockerClientImpl::DockerClientImpl(asio::any_io_executor executor, DockerEndpoint endpoint,
                                   const DockerConfig& config, DockerClientMetrics metrics)
    : executor_(std::move(executor)),
      endpoint_(std::move(endpoint)),
      config_(config),
      metrics_(metrics),
      api_version_(config.api_version) {
  if (!api_version_.empty() && !is_valid_api_version(api_version_)) {
    throw std::invalid_argument("invalid Docker api_version '" + api_version_ +
                                "': expected e.g. 1.41");
  }
  if (endpoint_.tls) tls_context_ = make_docker_tls_context(endpoint_);
  ConnectionPoolLimits limits{config.max_idle_connections, config.max_connections,
                              config.idle_timeout, config.connect_timeout};
  pool_ = std::make_unique<DockerConnectionPool>(executor_, endpoint_, tls_context_.get(), limits,
                                                 metrics_.http);
}

asio::awaitable<DockerClientImpl::Response> DockerClientImpl::get(std::string target) {
  metrics_.http.requests.inc();
  try {
    auto response = co_await net::with_timeout(exchange(target), config_.request_timeout,
                                               "Docker API GET " + target);
    if (response.result_int() >= 500) metrics_.http.errors.inc();
    co_return response;
  } catch (const boost::system::system_error& error) {
    // A call cancelled by its caller (shutdown) did not fail.
    if (error.code() != asio::error::operation_aborted) metrics_.http.errors.inc();
    throw;
  } catch (...) {
    metrics_.http.errors.inc();
    throw;
  }
}

asio::awaitable<DockerClientImpl::Response> DockerClientImpl::exchange(const std::string& target) {
  const auto request = make_docker_get(target, endpoint_.host_header());
  for (bool retried = false;; retried = true) {
    auto lease = co_await pool_->acquire();
    boost::system::error_code error;
    try {
      co_await http::async_write(lease.connection(), request, asio::use_awaitable);
      boost::beast::flat_buffer buffer;
      http::response_parser<http::string_body> parser;
      parser.body_limit(kMaxResponseBytes);
      co_await http::async_read(lease.connection(), buffer, parser, asio::use_awaitable);
      auto response = parser.release();
      // Leftover bytes would belong to no request: such a connection is not reused.
      if (response.keep_alive() && buffer.size() == 0) lease.keep_alive();
      co_return response;
    } catch (const boost::system::system_error& failure) {
      error = failure.code();
    }
    // The engine may have closed an idle connection meanwhile (e.g. it restarted): GETs are
    // idempotent, so retry once on a fresh connection.
    if (!lease.reused() || retried || error == asio::error::operation_aborted) {
      throw boost::system::system_error(error, "Docker API GET " + target);
    }
    spdlog::debug("Docker API GET {}: reused connection failed ({}), retrying", target,
                  error.message());
    pool_->close_idle();
  }
}

void DockerClientImpl::fail_status(const std::string& target, const Response& response) {
  throw DockerApiError(
      response.result_int(),
      docker_error_message("Docker API GET " + target, response.result_int(), response.body()));
}

asio::awaitable<std::string> DockerClientImpl::negotiate_version() {
  if (!config_.api_version.empty()) co_return api_version_;
  const std::string target = "/version";
  auto response = co_await get(target);
  if (!is_success(response.result_int())) fail_status(target, response);
  const auto json = nlohmann::json::parse(response.body(), nullptr, false);
  std::string version;
  if (json.is_object() && json.contains("ApiVersion") && json["ApiVersion"].is_string()) {
    version = json["ApiVersion"].get<std::string>();
  }
  if (!is_valid_api_version(version)) {
    metrics_.http.errors.inc();
    fail_malformed(target, "a version object with a valid ApiVersion");
  }
  if (version != api_version_) {
    spdlog::info("Docker engine at {} speaks API {}", endpoint_.describe(), version);
  }
  api_version_ = version;
  co_return api_version_;
}

asio::awaitable<std::string> DockerClientImpl::versioned(const std::string& path) {
  if (api_version_.empty()) co_await negotiate_version();
  co_return "/v" + api_version_ + path;
}

asio::awaitable<std::vector<ContainerSummary>> DockerClientImpl::list_containers(bool all) {
  const auto target = co_await versioned(std::string("/containers/json") + (all ? "?all=1" : ""));
  auto response = co_await get(target);
  if (!is_success(response.result_int())) fail_status(target, response);
  auto containers = parse_container_list(response.body());
  if (!containers) {
    metrics_.http.errors.inc();
    fail_malformed(target, "a JSON array");
  }
  co_return std::move(*containers);
}

asio::awaitable<std::optional<ContainerMetadata>> DockerClientImpl::inspect_container(
    const std::string& id) {
  const auto target = co_await versioned("/containers/" + url_encode(id) + "/json");
  auto response = co_await get(target);
  if (response.result() == http::status::not_found) co_return std::nullopt;
  if (!is_success(response.result_int())) fail_status(target, response);
  auto metadata = parse_container_inspect(response.body());
  if (!metadata) {
    metrics_.http.errors.inc();
    fail_malformed(target, "a container object");
  }
  co_return metadata;
}

asio::awaitable<std::unique_ptr<DockerStream>> DockerClientImpl::open_events() {
  // filters={"type":["container"]}
  co_return co_await open_stream("/events?filters=" + url_encode(R"({"type":["container"]})"));
}

asio::awaitable<std::unique_ptr<DockerStream>> DockerClientImpl::open_logs(const std::string& id,
                                                                           const LogsQuery& query) {
  std::string path = "/containers/" + url_encode(id) + "/logs?stdout=1&stderr=1&timestamps=1";
  path += query.follow ? "&follow=1" : "&follow=0";
  if (query.since > 0) path += "&since=" + format_docker_since(query.since);
  if (query.until > 0) path += "&until=" + format_docker_since(query.until);
  if (query.tail) path += "&tail=" + std::to_string(*query.tail);
  co_return co_await open_stream(std::move(path));
}

asio::awaitable<std::unique_ptr<DockerStream>> DockerClientImpl::open_stream(std::string path) {
  const auto target = co_await versioned(path);
  auto connection = co_await DockerConnection::connect(executor_, endpoint_, tls_context_.get(),
                                                       config_.connect_timeout);
  // From here the stream owns the connection and counts it, whatever happens next.
  auto stream = std::make_unique<DockerHttpStream>(std::move(connection), metrics_.streams);
  co_await net::with_timeout(stream->start(make_docker_get(target, endpoint_.host_header())),
                             config_.request_timeout, "Docker API GET " + target);
  co_return stream;
}

void DockerClientImpl::close_idle() { pool_->close_idle(); }

void DockerClientImpl::cancel_all() { pool_->cancel_all(); }

std::unique_ptr<DockerClient> make_docker_client(asio::any_io_executor executor,
                                                 const DockerConfig& config,
                                                 MetricsRegistry& metrics) {
  auto endpoint = resolve_docker_endpoint(config, DockerEnvironment::from_process());
  return std::make_unique<DockerClientImpl>(std::move(executor), std::move(endpoint), config,
                                            DockerClientMetrics::register_on(metrics));
}

}  // namespace lc::docker
