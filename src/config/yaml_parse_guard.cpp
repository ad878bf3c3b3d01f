#include "config/yaml_parse_guard.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <system_error>

namespace lc {
namespace {

// CPU time, so that a loaded host does not turn a slow valid parse into a "hang"; the wall
// clock alarm is the backstop for a child that never gets the CPU.
constexpr rlim_t kParseCpuSeconds = 2;
constexpr unsigned kParseWallSeconds = 20;
constexpr timeval kSocketTimeout{30, 0};  // the helper answers within the alarm
// The inputs that hang yaml-cpp allocate hundreds of MiB a second: bounded, so that a check
// never calls the OOM killer onto the host (or the agent's container). Not under ASan, whose
// shadow memory is address space.
constexpr rlim_t kParseAddressSpace = rlim_t{1} << 30;
#if defined(__SANITIZE_ADDRESS__)  // GCC
constexpr bool kUnderAddressSanitizer = true;
#elif defined(__has_feature)  // clang (the fuzz targets)
constexpr bool kUnderAddressSanitizer = __has_feature(address_sanitizer);
#else
constexpr bool kUnderAddressSanitizer = false;
#endif

bool single_threaded() {
  std::error_code error;
  std::filesystem::directory_iterator tasks("/proc/self/task", error), end;
  if (error) return false;
  int threads = 0;
  for (; tasks != end && threads < 2; tasks.increment(error)) ++threads;
  return threads == 1;
}

bool write_all(int fd, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t written = ::send(fd, bytes, size, MSG_NOSIGNAL);
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

bool read_all(int fd, void* data, std::size_t size) {
  auto* bytes = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t got = ::read(fd, bytes, size);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    bytes += got;
    size -= static_cast<std::size_t>(got);
  }
  return true;
}

// Forks a child that parses `text`; true if it returned within the time limit. Only called
// from a process with one thread.
bool parse_in_child(const std::string& text) {
  const pid_t child = ::fork();
  if (child < 0) return true;  // cannot check: the caller's own parse is the check
  if (child == 0) {
    for (const int signal : {SIGALRM, SIGXCPU}) ::signal(signal, SIG_DFL);  // they end it
    const rlimit cpu{kParseCpuSeconds, kParseCpuSeconds + 1};
    ::setrlimit(RLIMIT_CPU, &cpu);
    if (!kUnderAddressSanitizer) {
      const rlimit memory{kParseAddressSpace, kParseAddressSpace};
      ::setrlimit(RLIMIT_AS, &memory);
    }
    ::alarm(kParseWallSeconds);
    try {
      (void)YAML::LoadAll(text);
    } catch (const YAML::Exception&) {  // an answer: the loader reports it with its place
    } catch (...) {
      ::_exit(1);  // out of memory: what the inputs that never finish end in
    }
    ::_exit(0);
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

// The helper's loop: a length and a text in, one byte out (1: the parser finished), until the
// agent closes its end.
[[noreturn]] void serve(int socket, pid_t agent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != agent) ::_exit(0);  // the agent died before the line above
  for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::signal(signal, SIG_IGN);
  // Copies of the agent's descriptors (listeners, locks) must not outlive it here.
  if (socket != 3 && ::dup2(socket, 3) == 3) socket = 3;
  if (::close_range(static_cast<unsigned>(socket) + 1, UINT_MAX, 0) != 0) {  // before Linux 5.9
    for (int fd = socket + 1; fd < 65536; ++fd) ::close(fd);
  }
  for (;;) {
    std::uint64_t size = 0;
    if (!read_all(socket, &size, sizeof size)) ::_exit(0);
    std::string text(size, '\0');
    if (!read_all(socket, text.data(), text.size())) ::_exit(0);
    const char answer = parse_in_child(text) ? 1 : 0;
    if (!write_all(socket, &answer, 1)) ::_exit(0);
  }
}

class ForkServer {
 public:
  ~ForkServer() {
    const std::lock_guard lock(mutex_);
    stop();
  }

  // Under the caller's lock. `lazily`: from a check, which cannot know what the process's
  // threads do, so only with one thread.
  void start(bool lazily) {
    if (started_ || (lazily && !single_threaded())) return;
    started_ = true;
    int sockets[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) return;
    const pid_t agent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(sockets[0]);
      serve(sockets[1], agent);
    }
    ::close(sockets[1]);
    if (pid < 0) {
      ::close(sockets[0]);
      return;
    }
    socket_ = sockets[0];
    pid_ = pid;
    // A helper that stopped answering (stopped, starved) must not hold a reload for ever.
    ::setsockopt(socket_, SOL_SOCKET, SO_SNDTIMEO, &kSocketTimeout, sizeof kSocketTimeout);
    ::setsockopt(socket_, SOL_SOCKET, SO_RCVTIMEO, &kSocketTimeout, sizeof kSocketTimeout);
  }

  YamlParseCheck check(const std::string& text) {
    const std::lock_guard lock(mutex_);
    start(/*lazily=*/true);
    if (socket_ < 0) {
      if (!single_threaded()) return YamlParseCheck::not_checked;
      return parse_in_child(text) ? YamlParseCheck::finishes : YamlParseCheck::does_not_finish;
    }
    const std::uint64_t size = text.size();
    char answer = 0;
    if (!write_all(socket_, &size, sizeof size) || !write_all(socket_, text.data(), size) ||
        !read_all(socket_, &answer, 1)) {
      lost_ = true;  // it cannot be started again while threads run (that is what it is for)
      stop();
      return YamlParseCheck::not_checked;
    }
    return answer == 1 ? YamlParseCheck::finishes : YamlParseCheck::does_not_finish;
  }

  std::mutex& mutex() { return mutex_; }
  bool lost() {
    const std::lock_guard lock(mutex_);
    return lost_;
  }

 private:
  void stop() {
    if (socket_ < 0) return;
    ::close(socket_);  // the helper reads end of file and exits
    socket_ = -1;
    ::kill(pid_, SIGKILL);  // in case it is stuck: it holds nothing worth a graceful end
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }

  std::mutex mutex_;
  bool started_ = false;
  bool lost_ = false;
  int socket_ = -1;
  pid_t pid_ = -1;
};

ForkServer& fork_server() {
  static ForkServer server;
  return server;
}

}  // namespace

void start_yaml_parse_guard() {
  ForkServer& server = fork_server();
  const std::lock_guard lock(server.mutex());
  server.start(/*lazily=*/false);
}

bool yaml_parse_guard_lost() { return fork_server().lost(); }

YamlParseCheck check_yaml_parser_finishes(const std::string& text) {
  return fork_server().check(text);
}

}  // namespace lc
