#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/file_position.hpp"
#include "inputs/json_file/unique_fd.hpp"

namespace lc::json_file {

// One file of a rotated log: `path`, `path.1`, `path.2`, ... as found on disk.
struct ChainFile {
  std::string name;
  FileIdentity identity;
};

// The files of a json-file log from oldest to newest: path.N ... path.1, path. dockerd rotates
// by removing the oldest and renaming the others one up, so for an instant one number may be
// missing: the probe goes on past a single gap and stops at two missing numbers in a row.
std::vector<ChainFile> list_log_chain(const std::string& path, std::size_t max_rotated_files);

// Index of the file with that identity in the chain.
std::optional<std::size_t> find_in_chain(const std::vector<ChainFile>& chain, FileIdentity file);

// Opens `file.name` read-only and checks it still is `file.identity` (it may have been renamed
// since the chain was listed). Invalid fd when not.
UniqueFd open_checked(const ChainFile& file);

// Identity and size of an open file, and whether it still has a name (st_nlink > 0).
struct OpenFileStatus {
  FileIdentity identity;
  std::uint64_t size = 0;
  bool linked = true;
};
std::optional<OpenFileStatus> status_of(int fd);
std::optional<FileIdentity> identity_of(const std::string& path);

// Detects inode reuse across restarts: a hash of the file's first line (its '\n' included) or
// of its first kFingerprintBytes when that line is longer. dockerd's first line carries a
// nanosecond timestamp, so two files practically never share it. 0 = not known yet (the first
// line is not complete). Never 0 otherwise.
inline constexpr std::size_t kFingerprintBytes = 4096;
std::uint64_t file_fingerprint(int fd);

}  // namespace lc::json_file
