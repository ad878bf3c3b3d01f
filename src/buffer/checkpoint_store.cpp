#include "buffer/checkpoint_store.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <system_error>

#include "core/timestamp.hpp"

namespace lc {
namespace {

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), "checkpoint: " + what);
}

// Closes the descriptor on every exit path.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  int get() const { return fd_; }
  // Closes now, so that a close error (NFS reports write errors there) is seen.
  int release_and_close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

void write_all(int fd, const std::string& data, const std::string& path) {
  const char* next = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, next, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno("write " + path);
    }
    next += n;
    left -= static_cast<std::size_t>(n);
  }
}

void fsync_or_throw(int fd, const std::string& path) {
  while (::fsync(fd) != 0) {
    if (errno != EINTR) throw_errno("fsync " + path);
  }
}

std::string parent_directory(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

const nlohmann::json& require(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) throw std::runtime_error(std::string("missing field \"") + key + "\"");
  return *it;
}

template <typename T>
T require_integer(const nlohmann::json& object, const char* key) {
  const nlohmann::json& value = require(object, key);
  if (!value.is_number_integer()) {
    throw std::runtime_error(std::string("field \"") + key + "\" is not an integer");
  }
  if constexpr (std::is_unsigned_v<T>) {
    if (value.is_number_unsigned() || value.get<std::int64_t>() >= 0) {
      const auto v = value.get<std::uint64_t>();
      if (v <= std::numeric_limits<T>::max()) return static_cast<T>(v);
    }
    throw std::runtime_error(std::string("field \"") + key + "\" is out of range");
  } else {
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) {
      throw std::runtime_error(std::string("field \"") + key + "\" is out of range");
    }
    return value.get<T>();
  }
}

}  // namespace

CheckpointStore::CheckpointStore(std::string path) : path_(std::move(path)) {}

namespace {

nlohmann::json stream_json(const StreamPosition& position) {
  return {{"time_ns", position.time}, {"count", position.count_at_time}};
}

nlohmann::json file_place_json(const FilePosition& place) {
  return {{"device", place.file.device}, {"inode", place.file.inode}, {"offset", place.offset}};
}

// "stdout" and "stderr" objects (format 2).
void add_position(nlohmann::json& object, const ContainerPosition& position) {
  object["stdout"] = stream_json(position.out);
  object["stderr"] = stream_json(position.err);
}

StreamPosition read_stream(const nlohmann::json& object, const std::string& what) {
  if (!object.is_object()) throw std::runtime_error(what + " is not an object");
  return {require_integer<TimestampNs>(object, "time_ns"),
          require_integer<std::uint32_t>(object, "count")};
}

// "stdout" and "stderr" objects (format 2), or one "time_ns"/"count" pair for both streams
// (format 1, read when upgrading).
ContainerPosition read_position(const nlohmann::json& object, int version, const std::string& id) {
  if (version == 1) return ContainerPosition::both(read_stream(object, "position of " + id));
  return {read_stream(require(object, "stdout"), "stdout position of " + id),
          read_stream(require(object, "stderr"), "stderr position of " + id)};
}

FilePosition read_file_place(const nlohmann::json& object) {
  FilePosition place;
  place.file.device = require_integer<std::uint64_t>(object, "device");
  place.file.inode = require_integer<std::uint64_t>(object, "inode");
  place.offset = require_integer<std::uint64_t>(object, "offset");
  return place;
}

FileResumePoint read_file_point(const nlohmann::json& file, int version, const std::string& id) {
  if (!file.is_object()) throw std::runtime_error("file position of " + id + " is not an object");
  FileResumePoint point;
  point.position = read_file_place(file);
  point.fingerprint = require_integer<std::uint64_t>(file, "fingerprint");
  point.container_position = read_position(file, version, id);
  point.check_times = version == 1 || file.value("check_times", false);
  if (const auto through = file.find("delivered_through"); through != file.end()) {
    if (!through->is_object())
      throw std::runtime_error("delivered_through of " + id + " is not an object");
    point.delivered_through = read_file_place(*through);
  }
  if (const auto ends = file.find("stream_ends"); ends != file.end()) {
    if (!ends->is_object()) throw std::runtime_error("stream_ends of " + id + " is not an object");
    point.stream_ends[0] = read_file_place(ends->at("stdout"));
    point.stream_ends[1] = read_file_place(ends->at("stderr"));
  }
  return point;
}

}  // namespace

std::string CheckpointStore::to_json(const CheckpointState& state) {
  nlohmann::json containers = nlohmann::json::object();
  for (const auto& [id, position] : state.containers) {
    nlohmann::json entry = nlohmann::json::object();
    add_position(entry, position);
    if (const auto file = state.container_files.find(id); file != state.container_files.end()) {
      const FileResumePoint& point = file->second;
      nlohmann::json place = file_place_json(point.position);
      place["fingerprint"] = point.fingerprint;
      add_position(place, point.container_position);
      if (point.delivered_through.file.valid()) {
        place["delivered_through"] = file_place_json(point.delivered_through);
      }
      if (point.stream_ends[0].file.valid() && point.stream_ends[1].file.valid()) {
        place["stream_ends"] = {{"stdout", file_place_json(point.stream_ends[0])},
                                {"stderr", file_place_json(point.stream_ends[1])}};
      }
      if (point.check_times) place["check_times"] = true;
      entry["file"] = std::move(place);
    }
    containers[id] = std::move(entry);
  }
  const nlohmann::json document = {
      {"version", kFormatVersion},
      {"store", {{"file_seq", state.store.file_seq}, {"offset", state.store.offset}}},
      {"containers", std::move(containers)},
  };
  return document.dump(1) + "\n";
}

CheckpointState CheckpointStore::from_json(const std::string& text) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("not JSON: ") + e.what());
  }
  if (!document.is_object()) throw std::runtime_error("not a JSON object");
  const auto version = require_integer<std::int64_t>(document, "version");
  // Format 1 (one position for both streams) is read as both streams at that place: the
  // agent resumes where the old version stood, as the old version would have.
  if (version != 1 && version != kFormatVersion) {
    throw std::runtime_error("unsupported version " + std::to_string(version));
  }
  const int format = static_cast<int>(version);
  CheckpointState state;
  const nlohmann::json& store = require(document, "store");
  if (!store.is_object()) throw std::runtime_error("\"store\" is not an object");
  state.store.file_seq = require_integer<std::uint64_t>(store, "file_seq");
  state.store.offset = require_integer<std::uint64_t>(store, "offset");
  const nlohmann::json& containers = require(document, "containers");
  if (!containers.is_object()) throw std::runtime_error("\"containers\" is not an object");
  for (const auto& [id, position] : containers.items()) {
    if (id.empty()) throw std::runtime_error("empty container id");
    if (!position.is_object()) throw std::runtime_error("position of " + id + " is not an object");
    state.containers[id] = read_position(position, format, id);
    if (const auto file = position.find("file"); file != position.end()) {
      state.container_files[id] = read_file_point(*file, format, id);
    }
  }
  return state;
}

CheckpointState CheckpointStore::load() {
  std::string text;
  {
    FdCloser file(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (file.get() < 0 && errno == ENOENT) return {};
    char chunk[64 * 1024];
    ssize_t n = file.get() < 0 ? -1 : 0;
    while (file.get() >= 0 && (n = ::read(file.get(), chunk, sizeof(chunk))) != 0) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) break;
      text.append(chunk, static_cast<std::size_t>(n));
    }
    if (n < 0) {
      // Exists but unreadable (permissions, I/O error): say so loudly and start empty.
      spdlog::error("checkpoint: cannot read {}: {}; starting without checkpoints", path_,
                    std::generic_category().message(errno));
      corrupt_files_.fetch_add(1, std::memory_order_relaxed);
      return {};
    }
  }
  try {
    return from_json(text);
  } catch (const std::exception& e) {
    set_aside_corrupt(e.what());
    return {};
  }
}

void CheckpointStore::set_aside_corrupt(const std::string& why) {
  corrupt_files_.fetch_add(1, std::memory_order_relaxed);
  const std::string aside = path_ + ".corrupt-" + std::to_string(now_ns());
  std::error_code ec;
  std::filesystem::rename(path_, aside, ec);
  if (ec) {
    spdlog::error(
        "checkpoint: {} is corrupt ({}) and could not be moved aside ({}); starting "
        "without checkpoints (positions restart per inputs.docker.start_at)",
        path_, why, ec.message());
    return;
  }
  spdlog::error(
      "checkpoint: {} is corrupt ({}); kept as {}; starting without checkpoints "
      "(positions restart per inputs.docker.start_at)",
      path_, why, aside);
}

void CheckpointStore::save(const CheckpointState& state) {
  const std::string text = to_json(state);
  const std::string tmp = path_ + ".tmp";
  {
    FdCloser file(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (file.get() < 0) throw_errno("open " + tmp);
    try {
      write_all(file.get(), text, tmp);
      fsync_or_throw(file.get(), tmp);
      if (file.release_and_close() != 0) throw_errno("close " + tmp);
    } catch (...) {
      ::unlink(tmp.c_str());
      throw;
    }
  }
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    throw_errno("rename " + tmp + " to " + path_);
  }
  // The rename is durable only once the directory entry is.
  const std::string directory = parent_directory(path_);
  FdCloser dir(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) throw_errno("open directory " + directory);
  fsync_or_throw(dir.get(), directory);
}

}  // namespace lc
