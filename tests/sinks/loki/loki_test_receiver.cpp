#include "sinks/loki/loki_test_receiver.hpp"

#include <snappy.h>
#include <zlib.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cctype>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "sinks/loki/push.pb.h"

namespace lc::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using asio::ip::tcp;

namespace {

constexpr std::uint64_t kMaxRequestBodyBytes = 256ull << 20;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool gunzip(std::string_view in, std::string& out, std::string& error) {
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) {
    error = "inflateInit2 failed";
    return false;
  }
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  stream.avail_in = static_cast<uInt>(in.size());
  char chunk[64 * 1024];
  int code = Z_OK;
  while (code == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(chunk);
    stream.avail_out = sizeof chunk;
    code = inflate(&stream, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - stream.avail_out);
    if (code == Z_BUF_ERROR && stream.avail_in == 0) break;
  }
  inflateEnd(&stream);
  if (code != Z_STREAM_END) {
    error = "gzip body does not decompress (zlib " + std::to_string(code) + ")";
    return false;
  }
  return true;
}

// The same form the protobuf format carries, for JSON streams: {a="x",b="y"}, sorted.
std::string render_labels(const std::map<std::string, std::string>& labels) {
  std::string text = "{";
  for (const auto& [name, value] : labels) {
    if (text.size() > 1) text += ',';
    text += name + "=\"";
    for (const char c : value) {
      if (c == '\\' || c == '"') text += '\\';
      if (c == '\n') {
        text += "\\n";
        continue;
      }
      text += c;
    }
    text += '"';
  }
  return text + "}";
}

void decode_protobuf(std::string_view body, ReceivedRequest& request) {
  std::string raw;
  if (!snappy::Uncompress(body.data(), body.size(), &raw)) {
    request.decode_error = "body is not snappy-compressed (block format)";
    return;
  }
  logproto::PushRequest push;
  if (!push.ParseFromString(raw)) {
    request.decode_error = "body is not a protobuf PushRequest";
    return;
  }
  for (const auto& stream : push.streams()) {
    std::map<std::string, std::string> labels;
    if (!parse_loki_labels(stream.labels(), labels)) {
      request.decode_error = "malformed labels: " + stream.labels();
      return;
    }
    ++request.streams;
    for (const auto& entry : stream.entries()) {
      ReceivedEntry received;
      received.labels = stream.labels();
      received.label_map = labels;
      received.time_ns = entry.timestamp().seconds() * 1'000'000'000 + entry.timestamp().nanos();
      received.line = entry.line();
      for (const auto& pair : entry.structuredmetadata()) {
        received.structured_metadata.emplace_back(pair.name(), pair.value());
      }
      request.entries.push_back(std::move(received));
    }
  }
}

void decode_json(std::string_view body, ReceivedRequest& request) {
  const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("streams") || !json["streams"].is_array()) {
    request.decode_error = "body is not a JSON object with a \"streams\" array";
    return;
  }
  try {
    for (const auto& stream : json["streams"]) {
      std::map<std::string, std::string> labels;
      for (const auto& [name, value] : stream.at("stream").items()) {
        labels[name] = value.get<std::string>();
      }
      ++request.streams;
      for (const auto& value : stream.at("values")) {
        if (!value.is_array() || value.size() < 2 || value.size() > 3) {
          throw std::runtime_error("a value is not [ts, line] or [ts, line, {metadata}]");
        }
        ReceivedEntry received;
        received.labels = render_labels(labels);
        received.label_map = labels;
        received.time_ns = std::stoll(value[0].get<std::string>());
        received.line = value[1].get<std::string>();
        if (value.size() == 3) {
          for (const auto& [name, metadata] : value[2].items()) {
            received.structured_metadata.emplace_back(name, metadata.get<std::string>());
          }
        }
        request.entries.push_back(std::move(received));
      }
    }
  } catch (const std::exception& error) {
    request.decode_error = std::string("malformed JSON push: ") + error.what();
    request.entries.clear();
  }
}

}  // namespace

std::string ReceivedRequest::header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? std::string() : it->second;
}

bool parse_loki_labels(std::string_view text, std::map<std::string, std::string>& out) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return false;
  std::size_t pos = 1;
  const std::size_t end = text.size() - 1;
  while (pos < end) {
    const std::size_t equals = text.find('=', pos);
    if (equals == std::string_view::npos || equals + 1 >= end || text[equals + 1] != '"') {
      return false;
    }
    const std::string name(text.substr(pos, equals - pos));
    std::string value;
    pos = equals + 2;
    for (;; ++pos) {
      if (pos >= end) return false;
      const char c = text[pos];
      if (c == '"') break;
      if (c != '\\') {
        value += c;
        continue;
      }
      if (++pos >= end) return false;
      const char escaped = text[pos];
      if (escaped == 'n') {
        value += '\n';
      } else if (escaped == '\\' || escaped == '"') {
        value += escaped;
      } else {
        return false;
      }
    }
    if (name.empty() || !out.emplace(name, std::move(value)).second) return false;
    ++pos;  // past the closing quote
    if (pos < end) {
      if (text[pos] != ',') return false;
      ++pos;
    }
  }
  return true;
}

void decode_loki_push(std::string_view body, std::string_view content_type,
                      std::string_view content_encoding, ReceivedRequest& request) {
  std::string inflated;
  if (content_encoding == "gzip") {
    if (!gunzip(body, inflated, request.decode_error)) return;
    body = inflated;
  } else if (!content_encoding.empty()) {
    request.decode_error = "unsupported Content-Encoding " + std::string(content_encoding);
    return;
  }
  if (content_type == "application/x-protobuf") {
    decode_protobuf(body, request);
  } else if (content_type.starts_with("application/json")) {
    decode_json(body, request);
  } else {
    request.decode_error = "unsupported Content-Type " + std::string(content_type);
  }
}

struct LokiTestReceiver::Server {
  explicit Server(const Options& options)
      : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), options.port)),
        decode(options.decode) {
    if (!options.cert_file.empty()) {
      tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
      tls->use_certificate_chain_file(options.cert_file);
      tls->use_private_key_file(options.key_file, asio::ssl::context::pem);
      if (!options.client_ca_file.empty()) {
        tls->load_verify_file(options.client_ca_file);
        tls->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
      }
    }
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      boost::system::error_code error;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
      if (error) co_return;
      {
        std::lock_guard lock(mutex);
        ++connections;
      }
      asio::co_spawn(io, serve_connection(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> serve_connection(tcp::socket socket) {
    if (!tls) {
      co_await serve(socket, socket);
      co_return;
    }
    asio::ssl::stream<tcp::socket> stream(std::move(socket), *tls);
    boost::system::error_code error;
    co_await stream.async_handshake(asio::ssl::stream_base::server,
                                    asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      std::lock_guard lock(mutex);
      ++failed_handshakes;
      co_return;
    }
    co_await serve(stream, stream.next_layer());
  }

  template <class Stream>
  asio::awaitable<void> serve(Stream& stream, tcp::socket& socket) {
    boost::beast::flat_buffer buffer;
    asio::steady_timer timer(io);
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(kMaxRequestBodyBytes);
      boost::system::error_code error;
      co_await http::async_read(stream, buffer, parser,
                                asio::redirect_error(asio::use_awaitable, error));
      if (error) co_return;
      http::request<http::string_body> message = parser.release();
      ReceivedRequest request;
      request.method = std::string(message.method_string());
      request.target = std::string(message.target());
      for (const auto& field : message) {
        request.headers[lower(field.name_string())] = std::string(field.value());
      }
      request.body_bytes = message.body().size();
      request.body = message.body();
      (decode ? decode : decode_loki_push)(message.body(), request.header("content-type"),
                                           request.header("content-encoding"), request);
      Policy current;
      {
        std::lock_guard lock(mutex);
        current = policy;
      }
      ReceiverReply reply;
      if (current) {
        reply = current(request);
      } else if (!request.decode_error.empty()) {
        reply = ReceiverReply::answer(400, request.decode_error);
      }
      if (reply.action == ReceiverReply::Action::kAnswer) request.status = reply.status;
      record(request);

      switch (reply.action) {
        case ReceiverReply::Action::kReset:
          socket.set_option(asio::socket_base::linger(true, 0), error);
          socket.close(error);
          co_return;
        case ReceiverReply::Action::kGarbage: {
          const std::string garbage = "\x01\x02 this is not HTTP \xff\xfe\r\n\r\n";
          co_await asio::async_write(stream, asio::buffer(garbage),
                                     asio::redirect_error(asio::use_awaitable, error));
          socket.close(error);
          co_return;
        }
        case ReceiverReply::Action::kAnswer:
          break;
      }
      if (reply.delay.count() > 0) {
        timer.expires_after(reply.delay);
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, error));
      }
      http::response<http::string_body> response(static_cast<http::status>(reply.status),
                                                 message.version());
      response.set(http::field::server, "loki-test-receiver");
      if (!reply.content_type.empty()) {
        response.set(http::field::content_type, reply.content_type);
      } else if (!reply.body.empty()) {
        response.set(http::field::content_type, "text/plain");
      }
      for (const auto& [name, value] : reply.headers) response.set(name, value);
      response.body() = reply.body;
      response.keep_alive(message.keep_alive());
      response.prepare_payload();
      co_await http::async_write(stream, response,
                                 asio::redirect_error(asio::use_awaitable, error));
      if (error || !message.keep_alive()) co_return;
      if (reply.close_after) {
        socket.close(error);  // as a server does with a connection idle too long
        co_return;
      }
    }
  }

  void record(const ReceivedRequest& request) {
    std::function<void(const ReceivedRequest&)> callback;
    {
      std::lock_guard lock(mutex);
      requests.push_back(request);
      if (request.status / 100 == 2) callback = accepted_callback;
    }
    if (callback) callback(request);
  }

  asio::io_context io{1};
  tcp::acceptor acceptor;
  std::unique_ptr<asio::ssl::context> tls;
  mutable std::mutex mutex;
  Policy policy;
  std::function<void(const ReceivedRequest&)> accepted_callback;
  std::vector<ReceivedRequest> requests;
  std::size_t connections = 0;
  std::size_t failed_handshakes = 0;
  const RequestDecoder decode;
  std::thread thread;
};

LokiTestReceiver::LokiTestReceiver() : LokiTestReceiver(Options{}) {}

LokiTestReceiver::LokiTestReceiver(Options options)
    : server_(std::make_unique<Server>(options)),
      port_(server_->acceptor.local_endpoint().port()),
      tls_(!options.cert_file.empty()),
      path_(options.path) {
  asio::co_spawn(server_->io, server_->accept_loop(), asio::detached);
  server_->thread = std::thread([server = server_.get()] { server->io.run(); });
}

LokiTestReceiver::~LokiTestReceiver() {
  server_->io.stop();
  server_->thread.join();
}

void LokiTestReceiver::set_policy(Policy policy) {
  std::lock_guard lock(server_->mutex);
  server_->policy = std::move(policy);
}

void LokiTestReceiver::on_accepted(std::function<void(const ReceivedRequest&)> callback) {
  std::lock_guard lock(server_->mutex);
  server_->accepted_callback = std::move(callback);
}

std::string LokiTestReceiver::url() const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path_;
}

std::vector<ReceivedRequest> LokiTestReceiver::requests() const {
  std::lock_guard lock(server_->mutex);
  return server_->requests;
}

std::vector<ReceivedEntry> LokiTestReceiver::accepted_entries() const {
  std::lock_guard lock(server_->mutex);
  std::vector<ReceivedEntry> entries;
  for (const ReceivedRequest& request : server_->requests) {
    if (request.status / 100 != 2) continue;
    entries.insert(entries.end(), request.entries.begin(), request.entries.end());
  }
  return entries;
}

std::size_t LokiTestReceiver::connections_accepted() const {
  std::lock_guard lock(server_->mutex);
  return server_->connections;
}

std::size_t LokiTestReceiver::failed_handshakes() const {
  std::lock_guard lock(server_->mutex);
  return server_->failed_handshakes;
}

}  // namespace lc::testing
