// What the agent writes (every container's output) is readable by its user (and group) only.
#include "app/data_dir_permissions.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "support/temp_directory.hpp"

namespace lc {
namespace {

using testing::TempDirectory;

mode_t mode_of(const std::string& path) {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0) throw std::runtime_error("no " + path);
  return status.st_mode & 07777;
}

void make_file(const std::string& path, mode_t mode) {
  std::ofstream(path) << "line\n";
  std::filesystem::permissions(path, static_cast<std::filesystem::perms>(mode));
}

void make_directory(const std::string& path, mode_t mode) {
  std::filesystem::create_directory(path);
  std::filesystem::permissions(path, static_cast<std::filesystem::perms>(mode));
}

// Restores the process umask the test changes.
class UmaskGuard {
 public:
  UmaskGuard() : saved_(::umask(022)) { ::umask(saved_); }
  ~UmaskGuard() { ::umask(saved_); }

 private:
  mode_t saved_;
};

TEST(DataDirPermissions, NarrowsWhatEarlierRunsLeftReadableByEveryone) {
  TempDirectory temp;
  const std::string data = temp / "data";
  make_directory(data, 0755);
  make_directory(data + "/store", 0755);
  make_file(data + "/store/000001.log", 0644);
  make_file(data + "/checkpoints.json", 0666);
  make_file(data + "/lock", 0600);
  make_file(temp / "outside", 0644);
  std::filesystem::create_symlink(temp / "outside", data + "/link");

  const TighteningResult result = tighten_permissions(data, DataAccess{});
  EXPECT_EQ(result.changed, 4u);  // data, store, the segment, the checkpoints
  EXPECT_EQ(result.failed, 0u);
  EXPECT_EQ(mode_of(data), 0700u);
  EXPECT_EQ(mode_of(data + "/store"), 0700u);
  EXPECT_EQ(mode_of(data + "/store/000001.log"), 0600u);
  EXPECT_EQ(mode_of(data + "/checkpoints.json"), 0600u);
  EXPECT_EQ(mode_of(data + "/lock"), 0600u);
  EXPECT_EQ(mode_of(temp / "outside"), 0644u);  // a link is not followed

  EXPECT_EQ(tighten_permissions(data, DataAccess{}).changed, 0u);
}

TEST(DataDirPermissions, OnlyRemovesBits) {
  TempDirectory temp;
  const std::string data = temp / "data";
  make_directory(data, 0700);
  make_file(temp / "data/read-only", 0400);
  std::filesystem::permissions(data, static_cast<std::filesystem::perms>(0500));
  EXPECT_EQ(tighten_permissions(data, DataAccess{}).changed, 0u);
  EXPECT_EQ(mode_of(temp / "data/read-only"), 0400u);
  std::filesystem::permissions(data, std::filesystem::perms::owner_all);
}

TEST(DataDirPermissions, AGroupMayReadAndInheritsTheDirectories) {
  TempDirectory temp;
  const std::string data = temp / "data";
  make_directory(data, 0777);
  make_directory(data + "/buffers", 0775);
  make_file(data + "/buffers/segment", 0666);
  const DataAccess access{::getegid()};  // a group the test may give files to

  const TighteningResult result = tighten_permissions(data, access);
  EXPECT_EQ(result.failed, 0u) << result.first_failure;
  EXPECT_EQ(result.changed, 3u);
  EXPECT_EQ(mode_of(data), 02750u);
  EXPECT_EQ(mode_of(data + "/buffers"), 02750u);
  EXPECT_EQ(mode_of(data + "/buffers/segment"), 0640u);
  EXPECT_EQ(tighten_permissions(data, access).changed, 0u);
}

TEST(DataDirPermissions, AMissingDirectoryIsNotAnError) {
  TempDirectory temp;
  const TighteningResult result = tighten_permissions(temp / "never-created", DataAccess{});
  EXPECT_EQ(result.changed, 0u);
  EXPECT_EQ(result.failed, 0u);
}

// The stores open their files with mode 0644: the umask is what makes them private.
TEST(DataDirPermissions, NewFilesAndDirectoriesArePrivate) {
  const UmaskGuard restore;
  TempDirectory temp;
  restrict_new_files(DataAccess{});
  std::filesystem::create_directories(temp / "a/b");
  const int fd = ::open((temp / "a/b/file").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ::close(fd);
  EXPECT_EQ(mode_of(temp / "a"), 0700u);
  EXPECT_EQ(mode_of(temp / "a/b"), 0700u);
  EXPECT_EQ(mode_of(temp / "a/b/file"), 0600u);

  restrict_new_files(DataAccess{::getegid()});
  std::filesystem::create_directories(temp / "g");
  std::ofstream(temp / "g/file") << "x";
  EXPECT_EQ(mode_of(temp / "g"), 0750u);
  EXPECT_EQ(mode_of(temp / "g/file"), 0640u);
}

TEST(DataDirPermissions, FindsGroupsByNameOrNumber) {
  EXPECT_EQ(find_group("0"), 0u);
  EXPECT_EQ(find_group("root"), 0u);
  EXPECT_THROW(find_group("lc-no-such-group"), std::runtime_error);
  EXPECT_THROW(find_group(""), std::runtime_error);
}

}  // namespace
}  // namespace lc
