#include "core/file_sync.hpp"

#include <unistd.h>

#include "core/last_error.hpp"

namespace lc {
namespace {

class SystemFileSync final : public FileSync {
 public:
  std::error_code sync(int fd) override {
    while (::fsync(fd) != 0) {
      if (errno != EINTR) return last_error();
    }
    return {};
  }
};

}  // namespace

FileSync& system_file_sync() {
  static SystemFileSync instance;
  return instance;
}

}  // namespace lc
