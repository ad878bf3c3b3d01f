#include "sinks/file_store/store_file_scanner.hpp"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace lc {
namespace {

constexpr std::size_t kReadChunk = 1 << 20;

// Closes the descriptor on every exit path.
struct ReadOnlyFd {
  int fd;
  ~ReadOnlyFd() {
    if (fd >= 0) ::close(fd);
  }
};

bool visit_line(simdjson::ondemand::parser& parser, const char* line, std::size_t length,
                std::size_t capacity, const StoreRecordVisitor& visit) {
  simdjson::ondemand::document doc;
  if (parser.iterate(simdjson::padded_string_view(line, length, capacity)).get(doc)) return false;
  std::string_view time_text;
  std::string_view container_id;
  // Fields are written in this order: time first, container_id third.
  if (doc["time"].get_string().get(time_text)) return false;
  if (doc["container_id"].get_string().get(container_id)) return false;
  const auto time = parse_rfc3339(time_text);
  if (!time) return false;
  visit(container_id, *time);
  return true;
}

}  // namespace

StoreScanResult scan_store_file(const std::string& path, std::uint64_t offset,
                                const StoreRecordVisitor& visit) {
  StoreScanResult result;
  ReadOnlyFd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) {
    if (errno != ENOENT) result.error = {errno, std::generic_category()};
    return result;
  }
  simdjson::ondemand::parser parser;
  // buffer = [lines being read][SIMDJSON_PADDING readable bytes the parser may touch]
  std::vector<char> buffer(kReadChunk + simdjson::SIMDJSON_PADDING);
  std::size_t used = 0;
  auto position = static_cast<off_t>(offset);
  for (;;) {
    const std::size_t room = buffer.size() - simdjson::SIMDJSON_PADDING;
    if (used == room) buffer.resize(room * 2 + simdjson::SIMDJSON_PADDING);  // a long line
    const std::size_t want = buffer.size() - simdjson::SIMDJSON_PADDING - used;
    const ssize_t n = ::pread(file.fd, buffer.data() + used, want, position);
    if (n < 0) {
      if (errno == EINTR) continue;
      result.error = {errno, std::generic_category()};
      return result;
    }
    if (n == 0) break;  // a remainder without '\n' is a torn line: not a record
    used += static_cast<std::size_t>(n);
    position += n;
    std::size_t start = 0;
    while (start < used) {
      const void* newline = std::memchr(buffer.data() + start, '\n', used - start);
      if (newline == nullptr) break;
      const std::size_t end = static_cast<const char*>(newline) - buffer.data();
      if (visit_line(parser, buffer.data() + start, end - start, buffer.size() - start, visit)) {
        ++result.records;
      } else {
        ++result.bad_lines;
      }
      start = end + 1;
    }
    std::memmove(buffer.data(), buffer.data() + start, used - start);
    used -= start;
  }
  return result;
}

}  // namespace lc
