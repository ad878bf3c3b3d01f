#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

namespace lc::server::test {

// A deliberately dumb HTTP client on a raw blocking socket: it sends exactly the bytes a
// test gives it, and every read is bounded by poll() so a broken server fails the test
// instead of hanging it.
struct TestResponse {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class TestHttpClient {
 public:
  explicit TestHttpClient(unsigned short port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      const int error = errno;
      close();
      throw std::runtime_error("connect: " + std::string(std::strerror(error)));
    }
  }
  ~TestHttpClient() { close(); }
  TestHttpClient(const TestHttpClient&) = delete;
  TestHttpClient& operator=(const TestHttpClient&) = delete;

  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // False when the server has closed or reset the connection.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  bool send_get(const std::string& target, const std::string& extra_headers = {}) {
    return send("GET " + target + " HTTP/1.1\r\nHost: test\r\n" + extra_headers + "\r\n");
  }

  // One response with a Content-Length body; nullopt on timeout, EOF or reset first.
  std::optional<TestResponse> read_response(
      std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t header_end;
    while ((header_end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more(deadline)) return std::nullopt;
    }
    TestResponse response;
    const std::string head = pending_.substr(0, header_end);
    if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12) return std::nullopt;
    response.status = static_cast<unsigned>(std::stoul(head.substr(9, 3)));
    std::size_t line_start = head.find("\r\n");
    while (line_start != std::string::npos) {
      line_start += 2;
      const std::size_t line_end = head.find("\r\n", line_start);
      const std::string line = head.substr(line_start, line_end - line_start);
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        response.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
      }
      line_start = line_end;
    }
    const std::size_t length = std::stoul(
        response.header("content-length").empty() ? "0" : response.header("content-length"));
    while (pending_.size() < header_end + 4 + length) {
      if (!read_more(deadline)) return std::nullopt;
    }
    response.body = pending_.substr(header_end + 4, length);
    pending_.erase(0, header_end + 4 + length);
    return response;
  }

  // True when the server closes (EOF or reset) within `timeout`; bytes received before
  // the close are kept in pending().
  bool wait_closed(std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (!read_more(deadline)) return closed_;
    }
    return false;
  }

  const std::string& pending() const { return pending_; }

 private:
  // False on timeout, EOF or error (closed_ says which).
  bool read_more(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd waiting{fd_, POLLIN, 0};
    if (::poll(&waiting, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[8192];
    const ssize_t received = ::recv(fd_, chunk, sizeof chunk, 0);
    if (received <= 0) {
      closed_ = true;
      return false;
    }
    pending_.append(chunk, static_cast<std::size_t>(received));
    return true;
  }

  int fd_ = -1;
  bool closed_ = false;
  std::string pending_;
};

// Polls `condition` until it holds or `timeout` passes: for state another thread changes.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace lc::server::test
