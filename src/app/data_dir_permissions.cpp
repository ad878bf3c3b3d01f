#include "app/data_dir_permissions.hpp"

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <stdexcept>
#include <vector>

namespace lc {
namespace {

constexpr mode_t kPermissionBits = 07777;

class Tightener {
 public:
  explicit Tightener(const DataAccess& access) : access_(access) {}

  void tighten(const std::filesystem::path& path) {
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0) {
      if (errno != ENOENT) fail(path, errno);
      return;
    }
    const bool directory = S_ISDIR(status.st_mode);
    if (!directory && !S_ISREG(status.st_mode)) return;  // links, sockets, fifos: left alone
    const bool changed_group = give_to_group(path, status);
    const bool changed_mode = narrow_mode(path, status.st_mode, directory, changed_group);
    if (changed_group || changed_mode) ++result_.changed;
    if (!directory) return;
    std::error_code error;
    for (std::filesystem::directory_iterator it(path, error), end; !error && it != end;
         it.increment(error)) {
      tighten(it->path());
    }
    if (error) fail(path, error.value());
  }

  TighteningResult result() const { return result_; }

 private:
  bool give_to_group(const std::filesystem::path& path, const struct stat& status) {
    if (!access_.group || status.st_gid == *access_.group) return false;
    if (::lchown(path.c_str(), static_cast<uid_t>(-1), *access_.group) != 0) {
      fail(path, errno);
      return false;
    }
    return true;
  }

  // After a chown (which may clear setgid) the mode is set again even if `mode` looks right.
  bool narrow_mode(const std::filesystem::path& path, mode_t mode, bool directory,
                   bool changed_group) {
    const mode_t current = mode & kPermissionBits;
    mode_t wanted =
        current & (directory ? access_.directory_mode_mask() : access_.file_mode_mask());
    if (directory && access_.group) wanted |= S_ISGID;
    if (wanted == current && !changed_group) return false;
    if (::chmod(path.c_str(), wanted) != 0) {
      fail(path, errno);
      return false;
    }
    return wanted != current;
  }

  void fail(const std::filesystem::path& path, int error) {
    if (result_.failed++ == 0) result_.first_failure = path.string() + ": " + std::strerror(error);
  }

  const DataAccess& access_;
  TighteningResult result_;
};

}  // namespace

gid_t find_group(const std::string& name) {
  gid_t number = 0;
  const char* end = name.data() + name.size();
  if (!name.empty() && std::from_chars(name.data(), end, number).ptr == end) return number;
  std::vector<char> buffer(16 * 1024);
  struct group entry {};
  struct group* found = nullptr;
  const int error = ::getgrnam_r(name.c_str(), &entry, buffer.data(), buffer.size(), &found);
  if (found == nullptr) {
    throw std::runtime_error("no group named '" + name + "'" +
                             (error != 0 ? std::string(": ") + std::strerror(error) : ""));
  }
  return found->gr_gid;
}

void restrict_new_files(const DataAccess& access) { ::umask(access.umask()); }

TighteningResult tighten_permissions(const std::filesystem::path& root, const DataAccess& access) {
  Tightener tightener(access);
  tightener.tighten(root);
  return tightener.result();
}

}  // namespace lc
