#include "app/config_file_watch.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "app/config_reloader.hpp"
#include "config/config_error.hpp"
#include "config/config_loader.hpp"

namespace lc {

ConfigFileWatch::ConfigFileWatch(boost::asio::any_io_executor executor, std::string path,
                                 std::function<Running()> running,
                                 std::function<void()> request_reload)
    : timer_(std::move(executor)),
      path_(std::move(path)),
      running_(std::move(running)),
      request_reload_(std::move(request_reload)) {
  look();
}

ConfigFileWatch::FileIdentity ConfigFileWatch::identify(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return {};
  const auto nanoseconds = [](const timespec& time) {
    return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
  };
  return FileIdentity{true,
                      status.st_dev,
                      status.st_ino,
                      status.st_size,
                      nanoseconds(status.st_mtim),
                      nanoseconds(status.st_ctim)};
}

void ConfigFileWatch::schedule(Duration after) {
  timer_.expires_after(after);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (!error && !stopped_) look();
  });
}

void ConfigFileWatch::look() {
  const Running running = running_();
  if (!running.watch.watch) {
    seen_.reset();  // switched on again later: what the file is then is the baseline
    settling_ = false;
    return schedule(running.watch.watch_interval);
  }
  const FileIdentity now = identify(path_);
  if (!seen_) {
    // Compared at the next look too: an edit made after the running configuration was read and
    // before this look would otherwise be the baseline.
    seen_ = now;
    settling_ = true;
  } else if (now != *seen_) {
    seen_ = now;
    settling_ = true;
  } else if (settling_) {
    settling_ = false;
    if (now.exists) reload_if_new_content(running.hash);
  }
  schedule(running.watch.watch_interval);
}

void ConfigFileWatch::reload_if_new_content(const std::string& running_hash) {
  std::string hash;
  try {
    hash = hash_config_text(read_config_file(path_));
  } catch (const ConfigError& error) {
    spdlog::warn("config.watch: {}", error.what());  // the reload would say the same
    return;
  }
  if (hash == running_hash) {
    requested_hash_.clear();  // back to what runs: any other content is new again
    return;
  }
  if (hash == requested_hash_) return;  // refused already, unchanged since
  requested_hash_ = hash;
  spdlog::info("config.watch: {} changed: reloading the configuration", path_);
  request_reload_();
}

}  // namespace lc
