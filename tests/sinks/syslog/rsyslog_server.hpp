#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/claimed_port.hpp"

namespace lc::testing {

// One message as rsyslog parsed and wrote it.
struct ReceivedSyslog {
  int facility = -1;
  int severity = -1;
  std::string hostname, app_name, procid, msgid, structured_data, timestamp, message;
};

// A real rsyslogd from Debian, started by the test: imtcp (octet counting and newline framing;
// TLS through the ossl driver when certificate files are given), imrelp and imudp, each on a
// claimed port, every message written to a file with its facility, severity, header fields,
// structured data and message (omfile). restart() stops it (SIGTERM, as a service restart does)
// and starts it again on the same ports.
class RsyslogServer {
 public:
  struct Tls {
    std::string ca_file, cert_file, key_file;
  };
  explicit RsyslogServer(Tls tls = {}) : tls_(std::move(tls)) {
    char pattern[] = "/tmp/lc-rsyslog-XXXXXX";
    dir_ = ::mkdtemp(pattern);
    write_config();
    start();
  }
  ~RsyslogServer() {
    stop();
    std::error_code ignored;
    if (!::testing::Test::HasFailure()) std::filesystem::remove_all(dir_, ignored);
  }
  RsyslogServer(const RsyslogServer&) = delete;
  RsyslogServer& operator=(const RsyslogServer&) = delete;

  std::uint16_t tcp_port() const { return tcp_.port(); }
  std::uint16_t relp_port() const { return relp_.port(); }
  std::uint16_t udp_port() const { return udp_.port(); }
  const std::string& dir() const { return dir_; }

  void start() {
    const std::string binary = "/usr/sbin/rsyslogd";
    ASSERT_TRUE(std::filesystem::exists(binary))
        << "rsyslog is not installed (scripts/test installs it)";
    const std::string config = dir_ + "/rsyslog.conf";
    const std::string pid_file = dir_ + "/rsyslogd.pid";
    const std::string log = dir_ + "/rsyslogd.log";
    std::filesystem::remove(pid_file);
    pid_ = ::fork();
    if (pid_ == 0) {
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execl(binary.c_str(), binary.c_str(), "-n", "-f", config.c_str(), "-i", pid_file.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ASSERT_GT(pid_, 0);
    for (const std::uint16_t port : {tcp_port(), relp_port()}) {
      ASSERT_TRUE(wait_listening(port))
          << "rsyslogd did not listen on " << port << ": " << read_file(log);
    }
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    pid_ = -1;
  }

  void restart() {
    stop();
    start();
  }

  // What rsyslog wrote so far.
  std::vector<ReceivedSyslog> messages() const {
    std::vector<ReceivedSyslog> out;
    std::istringstream lines(read_file(dir_ + "/received.log"));
    std::string line;
    while (std::getline(lines, line)) {
      std::vector<std::string> parts;
      std::size_t at = 0;
      for (int i = 0; i < 8; ++i) {
        const std::size_t bar = line.find('|', at);
        if (bar == std::string::npos) break;
        parts.push_back(line.substr(at, bar - at));
        at = bar + 1;
      }
      if (parts.size() != 8) continue;
      ReceivedSyslog message;
      message.facility = std::stoi(parts[0]);
      message.severity = std::stoi(parts[1]);
      message.hostname = parts[2];
      message.app_name = parts[3];
      message.procid = parts[4];
      message.msgid = parts[5];
      message.structured_data = parts[6];
      message.timestamp = parts[7];
      message.message = line.substr(at);
      out.push_back(std::move(message));
    }
    return out;
  }

  // Waits until rsyslog wrote at least `count` messages.
  bool wait_for(std::size_t count, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (messages().size() < count) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

 private:
  static std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  static bool wait_listening(std::uint16_t port) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(port);
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
      ::close(fd);
      if (up) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  void write_config() {
    std::ofstream config(dir_ + "/rsyslog.conf");
    // The main queue drains on a stop (what a service restart does) instead of dropping what
    // it holds after its 1.5 s default.
    config << "global(workDirectory=\"" << dir_ << "\" maxMessageSize=\"256k\")\n"
           << "main_queue(queue.timeoutShutdown=\"10000\")\n";
    if (!tls_.cert_file.empty()) {
      config << "global(DefaultNetstreamDriverCAFile=\"" << tls_.ca_file
             << "\" DefaultNetstreamDriverCertFile=\"" << tls_.cert_file
             << "\" DefaultNetstreamDriverKeyFile=\"" << tls_.key_file << "\")\n"
             << "module(load=\"imtcp\" streamDriver.name=\"ossl\" streamDriver.mode=\"1\" "
                "streamDriver.authMode=\"anon\")\n";
    } else {
      config << "module(load=\"imtcp\")\n";
    }
    config << "module(load=\"imrelp\")\nmodule(load=\"imudp\")\n"
           << "input(type=\"imtcp\" port=\"" << tcp_port() << "\" address=\"127.0.0.1\")\n"
           << "input(type=\"imrelp\" port=\"" << relp_port() << "\" address=\"127.0.0.1\"";
    if (!tls_.cert_file.empty()) {
      // Mutual TLS: the client's certificate must name it (tests' TestCertificates).
      config << " tls=\"on\" tls.authMode=\"name\" tls.permittedPeer=[\"lc-client\"] "
                "tls.cacert=\""
             << tls_.ca_file << "\" tls.myCert=\"" << tls_.cert_file << "\" tls.myPrivKey=\""
             << tls_.key_file << "\"";
    }
    config << ")\n"
           << "input(type=\"imudp\" port=\"" << udp_port() << "\" address=\"127.0.0.1\")\n"
           << "template(name=\"fields\" type=\"string\" string=\"%syslogfacility%|"
              "%syslogseverity%|%hostname%|%app-name%|%procid%|%msgid%|%structured-data%|"
              "%timereported:::date-rfc3339%|%msg%\\n\")\n"
           << "action(type=\"omfile\" file=\"" << dir_
           << "/received.log\" template=\"fields\" asyncWriting=\"off\" flushOnTXEnd=\"on\")\n";
  }

  Tls tls_;
  std::string dir_;
  ClaimedPort tcp_;
  ClaimedPort relp_;
  ClaimedPort udp_;
  pid_t pid_ = -1;
};

}  // namespace lc::testing
