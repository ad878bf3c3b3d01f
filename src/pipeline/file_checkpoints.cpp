#include "pipeline/file_checkpoints.hpp"

#include <charconv>

#include "pipeline/delivery_receipt.hpp"

namespace lc {

namespace {

constexpr std::string_view kFilePrefix = "file:";

// "<device>:<inode>", nothing more.
std::optional<FileIdentity> parse_identity(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  FileIdentity file;
  const char* const end = text.data() + text.size();
  const auto device = std::from_chars(text.data(), text.data() + colon, file.device);
  const auto inode = std::from_chars(text.data() + colon + 1, end, file.inode);
  if (colon == 0 || device.ec != std::errc{} || device.ptr != text.data() + colon ||
      inode.ec != std::errc{} || inode.ptr != end || text.size() == colon + 1) {
    return std::nullopt;
  }
  return file;
}

std::string keys_prefix(std::string_view path) {
  std::string prefix(kFilePrefix);
  prefix.append(path);
  prefix += '@';
  return prefix;
}

// A key is per file when it ends in "@<device>:<inode>" naming the file its place is in (a
// legacy key of a path that itself ends like that names another file).
bool is_per_file_key(std::string_view key, const FileResumePoint& place) {
  const std::size_t at = key.rfind('@');
  if (at == std::string_view::npos) return false;
  const auto file = parse_identity(key.substr(at + 1));
  return file && *file == place.position.file;
}

}  // namespace

std::string file_checkpoint_key(std::string_view path, FileIdentity file) {
  return keys_prefix(path) + std::to_string(file.device) + ':' + std::to_string(file.inode);
}

std::string legacy_file_checkpoint_key(std::string_view path) {
  return std::string(kFilePrefix) + std::string(path);
}

std::optional<FileIdentity> file_of_checkpoint_key(std::string_view key, std::string_view path) {
  const std::string prefix = keys_prefix(path);
  if (!key.starts_with(prefix)) return std::nullopt;
  return parse_identity(key.substr(prefix.size()));
}

void upgrade_legacy_file_checkpoints(CheckpointState& state) {
  std::vector<std::string> legacy;
  for (const auto& [key, place] : state.container_files) {
    if (key.starts_with(kFilePrefix) && place.position.file.valid() &&
        !is_per_file_key(key, place)) {
      legacy.push_back(key);
    }
  }
  for (const std::string& key : legacy) {
    const FileResumePoint place = state.container_files.at(key);
    const std::string per_file =
        file_checkpoint_key(std::string_view(key).substr(kFilePrefix.size()), place.position.file);
    if (!state.container_files.contains(per_file)) {
      const auto position = state.containers.find(key);
      if (position != state.containers.end()) {
        state.containers[per_file] = position->second;
        state.container_files[per_file] = place;
      }
    }
    state.containers.erase(key);
    state.container_files.erase(key);
  }
}

void FileCheckpoints::on_submitted(std::span<const LogRecord> records) {
  for (const DeliveryReceipt::Source& source : DeliveryReceipt::of(records).sources) {
    tracker_.on_submitted(source.key, source.records, source.position, source.file);
  }
}

std::map<std::string, FileResumePoint> FileCheckpoints::places_of(const std::string& path) const {
  std::map<std::string, FileResumePoint> places =
      tracker_.file_positions_with_prefix(keys_prefix(path));
  std::erase_if(places, [&](const auto& entry) {
    const auto file = file_of_checkpoint_key(entry.first, path);
    return !file || *file != entry.second.position.file;  // another path's key
  });
  return places;
}

std::vector<FileResumePoint> FileCheckpoints::resume_points(const std::string& path) const {
  std::vector<FileResumePoint> points;
  for (const auto& [key, place] : places_of(path)) points.push_back(place);
  return points;
}

void FileCheckpoints::on_file_finished(const std::string& path, FileIdentity file) {
  tracker_.retire(file_checkpoint_key(path, file));
}

void FileCheckpoints::on_path_gone(const std::string& path) {
  for (const auto& [key, place] : places_of(path)) tracker_.retire(key);
  tracker_.retire(legacy_file_checkpoint_key(path));
}

}  // namespace lc
