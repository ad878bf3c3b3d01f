#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/file_position.hpp"
#include "inputs/json_file/unique_fd.hpp"

namespace lc::json_file {

// One file of a rotated log: `path`, `path.1`, `path.2` (or `path.2.gz`), ... as found on disk.
struct ChainFile {
  std::string name;
  FileIdentity identity;
  bool compressed = false;  // `path.N.gz`: read through GzipLogFile
  bool operator==(const ChainFile&) const = default;
};

// The files of a json-file log from oldest to newest: path.N ... path.1, path. dockerd rotates
// by removing the oldest and renaming the others one up, so for an instant one number may be
// missing: the probe goes on past a single gap and stops at two missing numbers in a row.
// With `compress=true` the rotated files are `path.N.gz`; while dockerd compresses `path.1`
// into `path.1.gz` both exist, and the plain one (complete) is listed.
std::vector<ChainFile> list_log_chain(const std::string& path, std::size_t max_rotated_files);
// Tests only: runs after every listing, to rotate files as dockerd may between a listing and
// the opens that follow it. An empty function removes it.
void set_after_listing_for_tests(std::function<void()> hook);

// Index of the file with that identity in the chain.
std::optional<std::size_t> find_in_chain(const std::vector<ChainFile>& chain, FileIdentity file);
// Index of the compressed file whose content starts with that fingerprint: a file read (or
// checkpointed) before dockerd compressed it. Decompresses the head of each .gz.
std::optional<std::size_t> find_compressed_copy(const std::vector<ChainFile>& chain,
                                                std::uint64_t fingerprint);

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

// The files seen live at the log's path after the one being read, oldest first. They are
// all newer than it, and dockerd deletes the oldest first: once the file being read is gone
// (rotated out while the reader lagged), any of them no longer in the chain was rotated away
// unread, a gap to count rather than a silent jump. A file that lived and went entirely
// between two looks is not seen, so the count is a lower bound.
class RotationSuccessors {
 public:
  // `live`: the file now at `path`, the log's name (nullopt mid-rename); `reading`: the
  // reader's file.
  void note_live(std::optional<FileIdentity> live, FileIdentity reading, const std::string& path);
  // How many seen files are not in `chain` any more (forgotten: each is counted once). A file
  // with the inode of a seen one but another first line is another file (inode reuse).
  std::size_t forget_gone(const std::vector<ChainFile>& chain);
  // Index in `chain` of the earliest seen file still there (plain, or compressed since).
  std::optional<std::size_t> first_present(const std::vector<ChainFile>& chain) const;
  // The reader moved on to `file`: forget it and the files before it (a compressed file is
  // known by its fingerprint: it was seen live, uncompressed, under another inode).
  void moved_to(const ChainFile& file);

 private:
  struct Seen {
    FileIdentity identity;
    std::uint64_t fingerprint = 0;  // 0 while its first line is not complete
  };
  static std::optional<std::size_t> index_in(const std::vector<ChainFile>& chain, const Seen& file);
  static constexpr std::size_t kMaxRemembered = 1024;
  std::vector<Seen> seen_;
};

// Detects inode reuse across restarts: a hash of the file's first line (its '\n' included) or
// of its first kFingerprintBytes when that line is longer. dockerd's first line carries a
// nanosecond timestamp, so two files practically never share it. 0 = not known yet (the first
// line is not complete). Never 0 otherwise.
// A compressed file's is its uncompressed content's (the same as before dockerd compressed it).
inline constexpr std::size_t kFingerprintBytes = 4096;
std::uint64_t file_fingerprint(int fd, bool compressed = false);
std::uint64_t fingerprint_at(const ChainFile& file);

}  // namespace lc::json_file
