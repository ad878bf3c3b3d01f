#pragma once

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/timestamp.hpp"
#include "support/temp_directory.hpp"

namespace lc::json_file::testing {

// The shared temporary directory (tests/support), with paths as std::filesystem::path.
class TempDir {
 public:
  std::filesystem::path path() const { return dir_.path(); }
  std::string file(const std::string& name) const { return dir_ / name; }

 private:
  lc::testing::TempDirectory dir_;
};

// JSON string escaping as Go's encoder does it for json-file (control characters as \u00XX).
inline std::string json_escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out;
}

// One json-file entry as dockerd writes it, with its '\n'.
inline std::string entry(std::string_view log, std::string_view stream, TimestampNs time) {
  return "{\"log\":\"" + json_escape(log) + "\",\"stream\":\"" + std::string(stream) +
         "\",\"time\":\"" + format_rfc3339_nano(time) + "\"}\n";
}

// A line as dockerd's json-file driver stores it: cut into 16 KiB pieces, only the last with
// "\n" (an empty last piece when the line is an exact multiple of 16 KiB). Every piece
// carries the first piece's time, as dockerd 20.10 does.
inline std::string line_entries(std::string_view line, std::string_view stream, TimestampNs time,
                                bool newline = true) {
  constexpr std::size_t kPiece = 16 * 1024;
  std::string out;
  while (line.size() >= kPiece) {
    out += entry(line.substr(0, kPiece), stream, time);
    line.remove_prefix(kPiece);
  }
  if (newline) {
    out += entry(std::string(line) + "\n", stream, time);
  } else if (!line.empty()) {
    out += entry(line, stream, time);
  }
  return out;
}

inline void append(const std::string& path, std::string_view bytes) {
  std::ofstream file(path, std::ios::binary | std::ios::app);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!file) throw std::runtime_error("cannot append to " + path);
}

inline std::string read_all(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

// dockerd's rotate(): drop path.(max_files-1), shift the others up, path -> path.1; then the
// driver creates a new, empty path.
inline void rotate_like_dockerd(const std::string& path, int max_files) {
  std::filesystem::remove(path + "." + std::to_string(max_files - 1));
  for (int i = max_files - 1; i > 1; --i) {
    const std::string from = path + "." + std::to_string(i - 1);
    if (std::filesystem::exists(from))
      std::filesystem::rename(from, path + "." + std::to_string(i));
  }
  std::filesystem::rename(path, path + ".1");
  append(path, "");
}

// `from` gzipped into `to` (zlib's gzip format, as dockerd's compress=true writes it).
inline void gzip_file(const std::string& from, const std::string& to) {
  std::ifstream in(from, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  gzFile out = gzopen(to.c_str(), "wb");
  if (out == nullptr) throw std::runtime_error("gzopen " + to);
  if (!bytes.empty()) gzwrite(out, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(out);
}

// dockerd's rotation with compress=true: .N.gz move one up, the log becomes .1, and (when
// `compress_now`) .1 is gzipped into .1.gz and removed, as dockerd does right after.
inline void rotate_compressed_like_dockerd(const std::string& path, int max_files,
                                           bool compress_now = true) {
  std::filesystem::remove(path + "." + std::to_string(max_files - 1) + ".gz");
  for (int i = max_files - 1; i > 1; --i) {
    const std::string from = path + "." + std::to_string(i - 1) + ".gz";
    if (std::filesystem::exists(from))
      std::filesystem::rename(from, path + "." + std::to_string(i) + ".gz");
  }
  std::filesystem::rename(path, path + ".1");
  append(path, "");
  if (!compress_now) return;
  gzip_file(path + ".1", path + ".1.gz");
  std::filesystem::remove(path + ".1");
}

inline std::size_t open_fd_count() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
    ++count;
  }
  return count;
}

// Fixtures captured from a real dockerd 20.10 (tests/inputs/json_file/fixtures).
inline std::string fixture(const std::string& name) {
  if (const char* source = std::getenv("LC_SOURCE_DIR"); source && *source) {
    return std::string(source) + "/tests/inputs/json_file/fixtures/" + name;
  }
  return (std::filesystem::path(__FILE__).parent_path() / "fixtures" / name).string();
}

}  // namespace lc::json_file::testing
