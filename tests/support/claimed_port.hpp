#pragma once

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace lc::testing {

// A TCP and UDP port for a server a test starts (rsyslogd), below the kernel's ephemeral range
// and claimed in /tmp/lc-test-ports as tests/integration/lib.sh claims its ports: tests running
// side by side never draw the same one. The destructor releases the claim.
class ClaimedPort {
 public:
  ClaimedPort() {
    std::filesystem::create_directories(kClaims);
    std::mt19937 random(std::random_device{}());
    for (;;) {
      const auto port = static_cast<std::uint16_t>(20000 + random() % 12000);
      const std::string claim = std::string(kClaims) + "/" + std::to_string(port);
      if (!std::filesystem::create_directory(claim)) {
        if (owner_alive(claim)) continue;
        std::filesystem::remove_all(claim);
        if (!std::filesystem::create_directory(claim)) continue;
      }
      std::ofstream(claim + "/pid") << ::getpid() << '\n';
      if (bindable(port, SOCK_STREAM) && bindable(port, SOCK_DGRAM)) {
        port_ = port;
        claim_ = claim;
        return;
      }
    }
  }
  ~ClaimedPort() {
    std::error_code ignored;
    std::filesystem::remove_all(claim_, ignored);
  }
  ClaimedPort(const ClaimedPort&) = delete;
  ClaimedPort& operator=(const ClaimedPort&) = delete;

  std::uint16_t port() const { return port_; }

 private:
  static constexpr const char* kClaims = "/tmp/lc-test-ports";

  static bool owner_alive(const std::string& claim) {
    pid_t owner = 0;
    std::ifstream(claim + "/pid") >> owner;
    if (owner > 0) return ::kill(owner, 0) == 0;
    // Made but its pid not written yet: a claim in progress, unless it is old.
    std::error_code error;
    const auto made = std::filesystem::last_write_time(claim, error);
    return !error &&
           std::filesystem::file_time_type::clock::now() - made < std::chrono::seconds(10);
  }
  static bool bindable(std::uint16_t port, int type) {
    const int fd = ::socket(AF_INET, type, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
    ::close(fd);
    return ok;
  }

  std::uint16_t port_ = 0;
  std::string claim_;
};

}  // namespace lc::testing
