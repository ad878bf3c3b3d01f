#include "buffer/disk_buffer/segment_recovery.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "buffer/disk_buffer/segment_reader.hpp"

namespace lc {
namespace {

std::uint64_t file_size_or_zero(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

// A header that failed to open: a file holding no more than a header loses nothing when
// removed; anything longer is kept aside for a human.
SegmentRecovery discard_unreadable(const SegmentDirectory& directory, std::uint64_t seq,
                                   std::string_view owner, std::error_code why) {
  SegmentRecovery result;
  const std::string path = directory.path_of(seq);
  if (file_size_or_zero(path) <= SegmentHeader::kSize) {
    result.outcome = SegmentRecovery::Outcome::kRemoved;
    spdlog::warn("{}: removed {}: {} (its creation was interrupted; it held no records)", owner,
                 path, why.message());
    if (auto ec = directory.remove(seq)) {
      result.outcome = SegmentRecovery::Outcome::kError;
      result.error = ec;
      spdlog::error("{}: cannot remove {}: {}", owner, path, ec.message());
    }
    return result;
  }
  std::string aside;
  if (auto ec = directory.set_aside(seq, aside)) {
    result.outcome = SegmentRecovery::Outcome::kError;
    result.error = ec;
    spdlog::error("{}: {} is unreadable ({}) and cannot be moved aside: {}", owner, path,
                  why.message(), ec.message());
    return result;
  }
  result.outcome = SegmentRecovery::Outcome::kSetAside;
  spdlog::error("{}: {} is unreadable ({}); kept as {}, its records are skipped", owner, path,
                why.message(), aside);
  return result;
}

}  // namespace

SegmentRecovery recover_segment(const SegmentDirectory& directory, std::uint64_t seq,
                                SegmentKind kind, std::string_view owner,
                                const SegmentFrameVisitor& visit) {
  const std::string path = directory.path_of(seq);
  SegmentReader reader;
  if (auto ec = reader.open(path, kind)) {
    if (ec.category() == segment_error_category())
      return discard_unreadable(directory, seq, owner, ec);
    SegmentRecovery failed;
    failed.outcome = SegmentRecovery::Outcome::kError;
    failed.error = ec;
    return failed;
  }
  SegmentRecovery result;
  result.header = reader.header();
  result.valid_bytes = reader.end();
  for (;;) {
    const SegmentReader::Step step = reader.next();
    using Kind = SegmentReader::Step::Kind;
    if (step.kind == Kind::kEnd) break;
    if (step.kind == Kind::kError) {
      result.outcome = SegmentRecovery::Outcome::kError;
      result.error = step.error;
      return result;
    }
    if (step.kind == Kind::kFrame) {
      visit(step.offset, step.payload);
    } else if (step.kind == Kind::kCorrupt) {
      ++result.corrupt_regions;
      spdlog::error(
          "{}: {}: skipped {} corrupt bytes at offset {}; the records after them are kept", owner,
          path, step.next_offset - step.offset, step.offset);
    } else {  // kTornTail
      result.valid_bytes = step.offset;
      result.truncated_bytes = step.next_offset - step.offset;
      spdlog::warn(
          "{}: {}: cut a torn tail of {} bytes at offset {} (a write interrupted by a crash)",
          owner, path, result.truncated_bytes, step.offset);
      break;
    }
  }
  reader.close();
  if (result.truncated_bytes > 0) {
    while (::truncate(path.c_str(), static_cast<off_t>(result.valid_bytes)) != 0) {
      if (errno == EINTR) continue;
      result.outcome = SegmentRecovery::Outcome::kError;
      result.error = {errno, std::generic_category()};
      return result;
    }
  }
  return result;
}

bool count_recovery(const SegmentRecovery& found, const std::string& path, std::string_view owner,
                    Counter& truncations, Counter& skips) {
  if (found.truncated_bytes > 0) truncations.inc();
  skips.inc(found.corrupt_regions);
  switch (found.outcome) {
    case SegmentRecovery::Outcome::kError:
      throw std::system_error(found.error, fmt::format("{}: cannot recover {}", owner, path));
    case SegmentRecovery::Outcome::kSetAside:
      skips.inc();
      return false;
    case SegmentRecovery::Outcome::kRemoved:
      return false;
    case SegmentRecovery::Outcome::kUsable:
      break;
  }
  return true;
}

}  // namespace lc
