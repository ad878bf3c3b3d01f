#include "sinks/file_store/store_file_scanner.hpp"

#include <fcntl.h>
#include <simdjson.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <vector>

namespace lc {
namespace {

// Grows for a longer line. Small: the scan runs at start-up, when the agent is otherwise idle,
// and a bigger buffer only raised the peak memory.
constexpr std::size_t kReadChunk = 64 << 10;

// Closes the descriptor on every exit path.
struct ReadOnlyFd {
  int fd;
  ~ReadOnlyFd() {
    if (fd >= 0) ::close(fd);
  }
};

// "device:inode:offset:fingerprint[:device:inode:offset[:device:inode:offset]]" (decimal,
// fingerprint hexadecimal), as the encoder writes: the resume place, where the record itself
// ends when that differs (or a third place follows), and where the other stream's last record
// ends (container logs).
std::optional<FileResumePoint> parse_file_position(std::string_view text) {
  std::uint64_t values[10] = {};
  const char* next = text.data();
  const char* const end = text.data() + text.size();
  int parsed = 0;
  for (; parsed < 10; ++parsed) {
    const auto [ptr, ec] = std::from_chars(next, end, values[parsed], parsed == 3 ? 16 : 10);
    if (ec != std::errc{}) return std::nullopt;
    next = ptr;
    if (next == end) break;
    if (*next != ':') return std::nullopt;
    ++next;
  }
  if (parsed != 3 && parsed != 6 && parsed != 9) return std::nullopt;
  FileResumePoint point;
  point.position = FilePosition{FileIdentity{values[0], values[1]}, values[2]};
  point.fingerprint = values[3];
  if (parsed >= 6) {
    point.delivered_through = FilePosition{FileIdentity{values[4], values[5]}, values[6]};
  }
  if (parsed == 9) {  // the other stream's end, in stream_ends[1] until the stream is known
    point.stream_ends[0] = point.delivered_through;
    point.stream_ends[1] = FilePosition{FileIdentity{values[7], values[8]}, values[9]};
  }
  return point;
}

// A field a container record may lack. The text search skips the lookup for most records; a
// label of that name matches it too, so a missing field is not an error. False: malformed.
template <typename T>
bool optional_field(simdjson::ondemand::document& doc, std::string_view text, const char* key,
                    std::optional<T>& out) {
  if (text.find("\"" + std::string(key) + "\":") == std::string_view::npos) return true;
  T value{};
  const auto error = doc[key].get(value);
  if (error == simdjson::NO_SUCH_FIELD) return true;
  if (error) return false;
  out = value;
  return true;
}

bool visit_line(simdjson::ondemand::parser& parser, const char* line, std::size_t length,
                std::size_t capacity, const StoreRecordVisitor& visit) {
  simdjson::ondemand::document doc;
  if (parser.iterate(simdjson::padded_string_view(line, length, capacity)).get(doc)) return false;
  std::string_view time_text;
  StoredRecord record;
  // Fields are written in this order: time, event_time (when parsed), stream (container
  // records), then container_id or, for a record of a tailed file, file, labels and position.
  if (doc["time"].get_string().get(time_text)) return false;
  const auto time = parse_rfc3339(time_text);
  if (!time) return false;
  record.time = *time;
  const std::string_view text(line, length);
  std::string_view position;
  if (text.find("\"container_id\":") == std::string_view::npos) {
    if (doc["file"].get_string().get(record.file)) return false;
    if (doc["position"].get_string().get(position)) return false;
    record.file_position = parse_file_position(position);
    if (!record.file_position) return false;
  } else {
    std::string_view stream;
    if (doc["stream"].get_string().get(stream)) return false;
    record.stream = stream == "stderr" ? LogStream::kStderr : LogStream::kStdout;
    if (doc["container_id"].get_string().get(record.container_id)) return false;
    std::optional<std::string_view> place;
    std::optional<bool> unparsed;
    std::optional<std::uint64_t> rank;
    if (!optional_field(doc, text, "position", place) ||
        !optional_field(doc, text, "unparsed", unparsed) ||
        !optional_field(doc, text, "rank", rank) || rank.value_or(0) > UINT32_MAX) {
      return false;
    }
    if (place) {
      record.file_position = parse_file_position(*place);
      if (!record.file_position) return false;
      // Parsed as (own, other): to (stdout, stderr) now that the stream is known.
      if (record.stream == LogStream::kStderr &&
          record.file_position->stream_ends[0].file.valid()) {
        std::swap(record.file_position->stream_ends[0], record.file_position->stream_ends[1]);
      }
    }
    record.time_estimated = unparsed.value_or(false);
    record.rank = static_cast<std::uint32_t>(rank.value_or(0));
  }
  visit(record);
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
