#include "buffer/disk_buffer/committed_position_file.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "buffer/disk_buffer/atomic_file_write.hpp"

namespace lc {

CommittedPositionFile::CommittedPositionFile(std::string path) : path_(std::move(path)) {}

std::optional<SegmentPosition> CommittedPositionFile::load() const {
  std::ifstream in(path_, std::ios::binary);
  if (!in) {
    if (errno != ENOENT) {
      spdlog::error("disk buffer: cannot read {}: {}; replaying every buffered record", path_,
                    std::generic_category().message(errno));
    }
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  try {
    const nlohmann::json document = nlohmann::json::parse(text.str());
    if (document.at("version").get<int>() != kFormatVersion) {
      throw std::runtime_error("unsupported version");
    }
    return SegmentPosition{document.at("segment").get<std::uint64_t>(),
                           document.at("offset").get<std::uint64_t>()};
  } catch (const std::exception& e) {
    spdlog::error("disk buffer: {} is corrupt ({}); replaying every buffered record", path_,
                  e.what());
    return std::nullopt;
  }
}

std::error_code CommittedPositionFile::save(const SegmentPosition& position, bool durable) const {
  const nlohmann::json document = {
      {"version", kFormatVersion}, {"segment", position.segment}, {"offset", position.offset}};
  return write_file_atomically(path_, document.dump() + "\n", durable);
}

}  // namespace lc
