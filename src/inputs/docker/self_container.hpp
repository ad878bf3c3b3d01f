#pragma once

#include <string>

namespace lc::docker_input {

// The id of the container this process runs in, or "" on a host. Read from
// /proc/self/mountinfo (Docker bind-mounts /etc/hostname from .../containers/<id>/) and,
// failing that, /proc/self/cgroup (".../docker/<id>" or "docker-<id>.scope").
std::string detect_self_container_id();

// The same search over given file contents (for tests).
std::string find_container_id_in(const std::string& mountinfo, const std::string& cgroup);

}  // namespace lc::docker_input
