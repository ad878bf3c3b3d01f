#pragma once

#include <map>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace lc {

// Health of each component (docker connection, each sink...), as /health reports it.
// Thread-safe: components report from any thread.
class HealthRegistry {
 public:
  struct Status {
    bool healthy = true;
    std::string detail;
  };

  void set(const std::string& component, bool healthy, std::string detail = {});
  void remove(const std::string& component);
  bool all_healthy() const;
  std::map<std::string, Status> snapshot() const;
  // {"status":"ok"|"degraded","components":{"name":{"healthy":true,"detail":"..."}}}
  std::string to_json() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Status> components_;
};

}  // namespace lc
