#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>

#include "core/file_sync.hpp"

namespace lc {

// One data file of the store, open for appending (and for reading its tail). Owns the
// descriptor and closes it in its destructor. Every call reports failure as an error_code:
// the sink turns those into retry outcomes, never exceptions on the write path.
class StoreFile {
 public:
  StoreFile() = default;
  ~StoreFile();
  StoreFile(StoreFile&& other) noexcept;
  StoreFile& operator=(StoreFile&& other) noexcept;
  StoreFile(const StoreFile&) = delete;
  StoreFile& operator=(const StoreFile&) = delete;

  // Opens (creating if missing) for appending.
  std::error_code open(const std::string& path);
  bool is_open() const { return fd_ >= 0; }
  void close();

  std::error_code size(std::uint64_t& out) const;
  // Writes all of data, looping on short writes and EINTR. On error some bytes may have been
  // written: the caller truncates back.
  std::error_code append(std::string_view data);
  std::error_code truncate(std::uint64_t size);
  std::error_code sync(FileSync& file_sync);
  // Cuts a last line that lacks its '\n' (a write torn by a crash); `removed` says how much.
  std::error_code truncate_torn_tail(std::uint64_t& removed);

 private:
  int fd_ = -1;
};

}  // namespace lc
