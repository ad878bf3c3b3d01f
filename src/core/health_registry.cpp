#include "core/health_registry.hpp"

#include <nlohmann/json.hpp>

namespace lc {

void HealthRegistry::set(const std::string& component, bool healthy, std::string detail) {
  std::lock_guard lock(mutex_);
  components_[component] = Status{healthy, std::move(detail)};
}

void HealthRegistry::remove(const std::string& component) {
  std::lock_guard lock(mutex_);
  components_.erase(component);
}

bool HealthRegistry::all_healthy() const {
  std::lock_guard lock(mutex_);
  for (const auto& [name, status] : components_) {
    if (!status.healthy) return false;
  }
  return true;
}

std::map<std::string, HealthRegistry::Status> HealthRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  return components_;
}

std::string HealthRegistry::to_json() const {
  nlohmann::json components = nlohmann::json::object();
  bool healthy = true;
  for (const auto& [name, status] : snapshot()) {
    components[name] = {{"healthy", status.healthy}, {"detail", status.detail}};
    healthy = healthy && status.healthy;
  }
  return nlohmann::json{{"status", healthy ? "ok" : "degraded"}, {"components", components}}.dump();
}

}  // namespace lc
