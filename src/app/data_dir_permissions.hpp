#pragma once

#include <sys/types.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace lc {

// Who may read what the agent writes (store, checkpoints, dead letters, disk buffers: every
// container's output). dockerd keeps the same logs root-only, so by default only the agent's
// user may: files 0600, directories 0700. With a group, its members may read too: files 0640,
// directories 2750 (setgid, so what is created inside inherits the group).
struct DataAccess {
  std::optional<gid_t> group;

  mode_t umask() const { return group ? 027 : 077; }
  mode_t file_mode_mask() const { return group ? 0640 : 0600; }
  mode_t directory_mode_mask() const { return group ? 0750 : 0700; }
};

// The gid of `name` (a group name or a number); throws std::runtime_error if there is none.
gid_t find_group(const std::string& name);

// Sets the process umask from `access`. Call before the agent creates any file.
void restrict_new_files(const DataAccess& access);

// What tighten_permissions did.
struct TighteningResult {
  std::size_t changed = 0;  // files and directories whose mode or group was changed
  std::size_t failed = 0;   // those that could not be changed
  std::string first_failure;
};

// Removes the permission bits `access` does not allow from `root` and everything below it
// (symbolic links are neither followed nor changed), so files written by an older version or
// under another umask stop being readable by everyone. With a group, also gives everything to
// that group and sets the directories' setgid bit. A missing `root` is not an error.
TighteningResult tighten_permissions(const std::filesystem::path& root, const DataAccess& access);

}  // namespace lc
