#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace lc::docker::testing {

inline constexpr const char* kFallbackDockerSocket = "/tmp/dk/docker.sock";

// LC_TEST_DOCKER_HOST, else the test engine's socket when it exists; empty when neither.
inline std::string test_docker_host() {
  if (const char* host = std::getenv("LC_TEST_DOCKER_HOST"); host && *host) return host;
  struct stat info {};
  if (::stat(kFallbackDockerSocket, &info) == 0 && S_ISSOCK(info.st_mode)) {
    return std::string("unix://") + kFallbackDockerSocket;
  }
  return {};
}

// Runs `work` on `io` until it completes or `limit` passes (then the test fails). Rethrows
// what the coroutine threw.
template <class T>
T run_bounded(boost::asio::io_context& io, boost::asio::awaitable<T> work,
              std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  bool done = false;
  std::exception_ptr error;
  std::optional<std::conditional_t<std::is_void_v<T>, int, T>> value;
  if constexpr (std::is_void_v<T>) {
    boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr e) {
      error = e;
      done = true;
    });
  } else {
    boost::asio::co_spawn(io, std::move(work), [&](std::exception_ptr e, T result) {
      error = e;
      if (!e) value.emplace(std::move(result));
      done = true;
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    if (io.stopped()) io.restart();
    io.run_one_for(std::chrono::milliseconds(50));
  }
  if (!done) throw std::runtime_error("test coroutine did not finish in time");
  if (error) std::rethrow_exception(error);
  if constexpr (!std::is_void_v<T>) return std::move(*value);
}

// Runs the docker CLI against the test engine; returns its trimmed stdout. Throws on failure.
inline std::string docker_cli(const std::string& arguments) {
  const std::string command =
      "DOCKER_HOST='" + test_docker_host() + "' docker " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
  std::string output;
  std::array<char, 4096> chunk{};
  while (const auto n = std::fread(chunk.data(), 1, chunk.size(), pipe))
    output.append(chunk.data(), n);
  const int status = ::pclose(pipe);
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  if (status != 0) throw std::runtime_error("`" + command + "` failed: " + output);
  return output;
}

// A container run for one test, removed (with its log) when the test ends, however it ends.
class TestContainer {
 public:
  // `options` go before the image (e.g. "-t --label a=b"), `script` is run by sh -c.
  TestContainer(const std::string& options, const std::string& script)
      : id_(docker_cli("run -d --network none " + options + " lc-busybox:test sh -c '" + script +
                       "'")) {}
  ~TestContainer() {
    try {
      docker_cli("rm -f " + id_);
    } catch (const std::exception& error) {
      ADD_FAILURE() << "could not remove test container: " << error.what();
    }
  }
  TestContainer(const TestContainer&) = delete;
  TestContainer& operator=(const TestContainer&) = delete;

  const std::string& id() const { return id_; }

 private:
  std::string id_;
};

inline std::size_t open_fd_count() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++count;
  }
  return count;
}

}  // namespace lc::docker::testing
