#include "inputs/docker/self_container.hpp"

#include <fstream>
#include <regex>
#include <sstream>

namespace lc::docker_input {
namespace {

std::string read_file(const char* path) {
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string first_match(const std::string& text, const std::regex& pattern) {
  std::smatch match;
  if (std::regex_search(text, match, pattern)) return match[1].str();
  return {};
}

// Nested engines (Docker-in-Docker on cgroup v1) list the outer container first: ours is last.
std::string last_match(const std::string& text, const std::regex& pattern) {
  std::string found;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), pattern);
       it != std::sregex_iterator(); ++it) {
    found = (*it)[1].str();
  }
  return found;
}

}  // namespace

std::string find_container_id_in(const std::string& mountinfo, const std::string& cgroup) {
  static const std::regex mount_pattern("/containers/([0-9a-f]{64})/(?:hostname|hosts|resolv)");
  static const std::regex cgroup_pattern("(?:docker[-/])([0-9a-f]{64})");
  if (std::string id = first_match(mountinfo, mount_pattern); !id.empty()) return id;
  return last_match(cgroup, cgroup_pattern);
}

std::string detect_self_container_id() {
  return find_container_id_in(read_file("/proc/self/mountinfo"), read_file("/proc/self/cgroup"));
}

}  // namespace lc::docker_input
