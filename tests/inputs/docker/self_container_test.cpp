#include "inputs/docker/self_container.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lc::docker_input {
namespace {

const std::string kSelfId = "5f1c8e0d2b7a4c6e9f3d1a0b8c7e6d5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d";
const std::string kOuter = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
// An overlay2 layer directory name is 64 hex digits as well: it must not be taken for an id.
const std::string kLayer = "9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4";

// /proc/self/mountinfo of a process in a Docker container (cgroup v2 host, private cgroupns).
std::string container_mountinfo(const std::string& id,
                                const std::string& root = "/var/lib/docker") {
  return "1187 1016 0:88 / / rw,relatime master:434 - overlay overlay rw,lowerdir=" + root +
         "/overlay2/l/QZ4X3TQ7J5ZL2HQ5N6:" + root +
         "/overlay2/l/ABCDEFGHIJKLMNOPQR,upperdir=" + root + "/overlay2/" + kLayer +
         "/diff,workdir=" + root + "/overlay2/" + kLayer +
         "/work\n"
         "1188 1187 0:91 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw\n"
         "1189 1187 0:92 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755,inode64\n"
         "1193 1187 0:30 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - cgroup2 cgroup "
         "rw,nsdelegate\n"
         "1194 1187 254:1 " +
         root + "/containers/" + id +
         "/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/vda1 rw,discard,errors=remount-ro\n"
         "1195 1187 254:1 " +
         root + "/containers/" + id +
         "/hostname /etc/hostname rw,relatime - ext4 /dev/vda1 rw,discard,errors=remount-ro\n"
         "1196 1187 254:1 " +
         root + "/containers/" + id +
         "/hosts /etc/hosts rw,relatime - ext4 /dev/vda1 rw,discard,errors=remount-ro\n"
         "1017 1189 0:90 / /dev/shm rw,nosuid,nodev,noexec,relatime - tmpfs shm "
         "rw,size=65536k,inode64\n";
}

// /proc/self/mountinfo on a host (no container bind mounts).
const std::string kHostMountinfo =
    "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,discard,errors=remount-ro\n"
    "23 22 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
    "24 22 0:22 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
    "26 23 0:24 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 "
    "rw,nsdelegate,memory_recursiveprot\n"
    "95 22 0:50 / /run/docker/netns/default rw shared:51 - nsfs nsfs rw\n";

// A log agent that bind-mounts the host's container directory (to read json-file logs).
const std::string kAgentWithDockerDirMounted =
    "1200 1187 254:1 /var/lib/docker/containers /var/lib/docker/containers ro,relatime - ext4 "
    "/dev/vda1 rw\n";

TEST(SelfContainer, FindsTheIdFromTheHostnameBindMount) {
  EXPECT_EQ(find_container_id_in(container_mountinfo(kSelfId), "0::/\n"), kSelfId);
}

TEST(SelfContainer, FindsTheIdUnderAnotherDataRoot) {
  // Rootless Docker, or a daemon with --data-root.
  EXPECT_EQ(
      find_container_id_in(container_mountinfo(kSelfId, "/home/ci/.local/share/docker"), "0::/\n"),
      kSelfId);
}

TEST(SelfContainer, MountinfoIsPreferredOverTheCgroup) {
  EXPECT_EQ(find_container_id_in(container_mountinfo(kSelfId),
                                 "0::/system.slice/docker-" + kOuter + ".scope\n"),
            kSelfId);
}

TEST(SelfContainer, IgnoresABindMountOfTheWholeContainersDirectory) {
  EXPECT_EQ(find_container_id_in(kHostMountinfo + kAgentWithDockerDirMounted, "0::/\n"), "");
}

TEST(SelfContainer, CgroupV1WithTheCgroupfsDriver) {
  const std::string cgroup = "12:pids:/docker/" + kSelfId +
                             "\n"
                             "11:memory:/docker/" +
                             kSelfId +
                             "\n"
                             "10:cpu,cpuacct:/docker/" +
                             kSelfId +
                             "\n"
                             "2:cpuset:/docker/" +
                             kSelfId +
                             "\n"
                             "1:name=systemd:/docker/" +
                             kSelfId +
                             "\n"
                             "0::/system.slice/containerd.service\n";
  EXPECT_EQ(find_container_id_in(kHostMountinfo, cgroup), kSelfId);
}

TEST(SelfContainer, CgroupV1WithTheSystemdDriver) {
  const std::string cgroup = "11:memory:/system.slice/docker-" + kSelfId +
                             ".scope\n"
                             "1:name=systemd:/system.slice/docker-" +
                             kSelfId + ".scope\n";
  EXPECT_EQ(find_container_id_in("", cgroup), kSelfId);
}

TEST(SelfContainer, CgroupV2WithTheHostCgroupNamespace) {
  EXPECT_EQ(find_container_id_in("", "0::/system.slice/docker-" + kSelfId + ".scope\n"), kSelfId);
}

TEST(SelfContainer, CgroupV2PrivateNamespaceWithoutMountsGivesNothing) {
  EXPECT_EQ(find_container_id_in("", "0::/\n"), "");
}

TEST(SelfContainer, HostProcessesAreNotInAContainer) {
  EXPECT_EQ(
      find_container_id_in(kHostMountinfo, "0::/user.slice/user-1000.slice/session-3.scope\n"), "");
  // dockerd itself: "docker" in the path but no id.
  EXPECT_EQ(find_container_id_in(kHostMountinfo, "0::/system.slice/docker.service\n"), "");
  EXPECT_EQ(find_container_id_in("", ""), "");
}

TEST(SelfContainer, OtherRuntimesAreNotTakenForDocker) {
  EXPECT_EQ(find_container_id_in("", "0::/machine.slice/libpod-" + kSelfId + ".scope\n"), "");
  EXPECT_EQ(find_container_id_in(
                "", "0::/kubepods/besteffort/pod1234/cri-containerd-" + kSelfId + ".scope\n"),
            "");
}

TEST(SelfContainer, ShortOrUppercaseHexIsNotAnId) {
  EXPECT_EQ(find_container_id_in("", "0::/docker/" + kSelfId.substr(0, 12) + "\n"), "");
  std::string upper = kSelfId;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(find_container_id_in("", "0::/docker/" + upper + "\n"), "");
}

// Docker-in-Docker on cgroup v1: the innermost id is the agent's own container, the one the
// (inner) engine it talks to knows.
TEST(SelfContainer, NestedCgroupPathGivesTheInnermostContainer) {
  const std::string cgroup = "12:pids:/docker/" + kOuter + "/docker/" + kSelfId + "\n";
  EXPECT_EQ(find_container_id_in("", cgroup), kSelfId);
}

TEST(SelfContainer, DetectOnThisMachineReturnsAnIdOrNothing) {
  const std::string id = detect_self_container_id();
  EXPECT_TRUE(id.empty() || id.size() == 64) << id;
}

}  // namespace
}  // namespace lc::docker_input
