#pragma once

#include <sys/types.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "config/agent_config.hpp"

namespace lc {

// config.watch: reloads the configuration when its file changes, as SIGHUP does. The file is
// looked at every config.watch_interval (stat, through symbolic links, so that a Kubernetes
// ConfigMap's swap of its data link counts). A change is acted on once the file has stayed the
// same for one interval, so that an editor's half-written file is not read; then content whose
// hash differs from the running configuration's requests a reload. Content that was requested
// and failed is not requested again until the file changes to something else. Polling rather
// than inotify: a watch on a file is lost when it is replaced, and one look a second costs
// nothing measurable.
class ConfigFileWatch {
 public:
  struct Running {  // what the running configuration says, read at each look
    ConfigWatchConfig watch;
    std::string hash;
  };

  ConfigFileWatch(boost::asio::any_io_executor executor, std::string path,
                  std::function<Running()> running, std::function<void()> request_reload);
  ~ConfigFileWatch() { cancel(); }
  ConfigFileWatch(const ConfigFileWatch&) = delete;
  ConfigFileWatch& operator=(const ConfigFileWatch&) = delete;

  // Stops looking. A look already queued (its timer expired) does nothing and schedules no
  // other, so that the loop can run out.
  void cancel() {
    stopped_ = true;
    timer_.cancel();
  }

 private:
  struct FileIdentity {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    off_t size = 0;
    std::int64_t modified_ns = 0;
    std::int64_t changed_ns = 0;  // also an in-place write that keeps the mtime (cp -p)
    bool operator==(const FileIdentity&) const = default;
  };

  static FileIdentity identify(const std::string& path);
  void schedule(Duration after);
  void look();
  void reload_if_new_content(const std::string& running_hash);

  boost::asio::steady_timer timer_;
  std::string path_;
  std::function<Running()> running_;
  std::function<void()> request_reload_;
  bool stopped_ = false;
  std::optional<FileIdentity> seen_;  // at the previous look; none while watch is off
  bool settling_ = false;             // changed at the previous look: wait until it holds still
  std::string requested_hash_;        // content a reload was requested for (maybe refused)
};

}  // namespace lc
