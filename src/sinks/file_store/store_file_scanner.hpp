#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <system_error>

#include "core/timestamp.hpp"

namespace lc {

using StoreRecordVisitor = std::function<void(std::string_view container_id, TimestampNs time)>;

struct StoreScanResult {
  std::uint64_t records = 0;    // lines visited
  std::uint64_t bad_lines = 0;  // lines that are not store records (skipped)
  std::error_code error;        // open/read failure (missing file is not one)
};

// Reads one store file from `offset` to its end and visits each complete record line in order
// with its container id and time. Memory: one read buffer, grown only to the longest line.
StoreScanResult scan_store_file(const std::string& path, std::uint64_t offset,
                                const StoreRecordVisitor& visit);

}  // namespace lc
