#include "config/secret_file.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

namespace lc {
namespace {

constexpr std::size_t kMaxSecretBytes = 64 * 1024;

}  // namespace

ValueProblem read_secret_file(const std::string& path, std::string& secret) {
  std::ifstream file(path, std::ios::binary);
  if (!file)
    return fmt::format("cannot read {}: {}", quote_for_message(path), std::strerror(errno));
  std::string text;
  text.resize(kMaxSecretBytes + 1);
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (file.bad()) return fmt::format("cannot read {}: read error", quote_for_message(path));
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() > kMaxSecretBytes) {
    return fmt::format("{} is larger than 64KiB: is it the right file?", quote_for_message(path));
  }
  if (text.ends_with('\n')) text.pop_back();  // `echo secret > file` adds one
  if (text.ends_with('\r')) text.pop_back();
  if (text.empty()) return fmt::format("{} is empty", quote_for_message(path));
  secret = std::move(text);
  return std::nullopt;
}

}  // namespace lc
