// libFuzzer target for the segment reader, start-up recovery and the record / dead-letter
// decoders (disk buffer and dead-letter store). Input: [mode][body].
//   mode bit 0 = 0: body is a segment file as found on disk (header checks, torn files);
//   mode bit 0 = 1: body is [op][u16 LE length][bytes]... building a segment with a valid
//     header: op even = a frame around the bytes, with the right checksum (so the fuzzer
//     reaches the decoders); op odd = the bytes raw (corrupt regions, torn tails).
//   mode bit 1 picks the kind: disk buffer or dead letters.
// Checks, beyond "no crash, no out-of-bounds read": recovery visits frames in increasing
// offsets inside the file and leaves the file at its valid size; a second recovery of the
// recovered file finds exactly the same frames and nothing to cut; every decoded record or
// dead letter re-encodes to one that decodes equal.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "buffer/dead_letter/dead_letter_codec.hpp"
#include "buffer/disk_buffer/binary_encoding.hpp"
#include "buffer/disk_buffer/record_codec.hpp"
#include "buffer/disk_buffer/segment_format.hpp"
#include "buffer/disk_buffer/segment_recovery.hpp"

namespace {

using lc::FrameType;
using lc::SegmentKind;

constexpr std::uint64_t kSalt = 0x5eed5eed5eed5eedull;

// A private directory for the one segment file, removed at exit. Never destroyed, so that
// the exit handler (registered before it is complete) can still read its path.
const lc::SegmentDirectory& directory() {
  static const lc::SegmentDirectory* const dir = [] {
    spdlog::set_level(spdlog::level::off);  // corrupt input is the point: no log flood
    std::string pattern = (std::filesystem::temp_directory_path() / "lc-fuzz-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    std::atexit([] { std::filesystem::remove_all(directory().path()); });
    return new lc::SegmentDirectory(pattern);
  }();
  return *dir;
}

std::string build_segment(SegmentKind kind, std::string_view body) {
  std::string file = lc::encode_segment_header({kind, kSalt, 1});
  const std::uint32_t seed = lc::frame_checksum_seed(kSalt);
  while (body.size() >= 3) {
    const auto op = static_cast<std::uint8_t>(body[0]);
    const std::size_t length = static_cast<std::uint8_t>(body[1]) |
                               (static_cast<std::size_t>(static_cast<std::uint8_t>(body[2])) << 8);
    body.remove_prefix(3);
    const std::string_view bytes = body.substr(0, length);
    body.remove_prefix(bytes.size());
    if (op % 2 == 1) {
      file.append(bytes);
      continue;
    }
    const std::size_t frame = lc::begin_frame(file);
    file.append(bytes);
    lc::end_frame(file, frame, seed);  // an empty payload is dropped
  }
  return file;
}

bool same_container(const lc::ContainerMetadataPtr& a, const lc::ContainerMetadataPtr& b) {
  if (!a || !b) return !a && !b;
  return a->id == b->id && a->name == b->name && a->image == b->image && a->labels == b->labels &&
         a->compose_project == b->compose_project && a->compose_service == b->compose_service &&
         a->tty == b->tty && a->running == b->running && a->log_driver == b->log_driver &&
         a->log_path == b->log_path;
}

bool same_file_source(const lc::FileSourcePtr& a, const lc::FileSourcePtr& b) {
  if (!a || !b) return !a && !b;
  return a->path == b->path && a->labels == b->labels;
}

bool same_record(const lc::LogRecord& a, const lc::LogRecord& b) {
  return same_container(a.container, b.container) &&
         same_file_source(a.file_source, b.file_source) &&
         a.file_fingerprint == b.file_fingerprint && a.time == b.time &&
         a.index_at_time == b.index_at_time && a.stream == b.stream && a.truncated == b.truncated &&
         a.invalid == b.invalid && a.message == b.message && a.file_position == b.file_position;
}

void check_record_round_trip(const lc::LogRecord& record) {
  lc::RecordFrameEncoder encoder;
  std::string frames;
  if (!encoder.append_record(frames, 7, record)) return;  // over the frame limit
  lc::RecordFrameDecoder decoder;
  lc::LogRecord again;
  std::size_t at = 0;
  lc::RecordFrameDecoder::Result result = lc::RecordFrameDecoder::Result::kMalformed;
  while (at < frames.size()) {
    const std::uint32_t length = lc::load_u32_le(frames.data() + at);
    result =
        decoder.decode(std::string_view(frames).substr(at + lc::kFrameHeaderBytes, length), again);
    at += lc::kFrameHeaderBytes + length;
  }
  if (result != lc::RecordFrameDecoder::Result::kRecord || !same_record(record, again)) {
    __builtin_trap();
  }
}

void check_dead_letter_round_trip(const lc::DeadLetterEntry& entry) {
  lc::RecordFrameEncoder encoder;
  std::string frames;
  const lc::SourceRefs refs = encoder.define_sources(frames, 7, entry.record);
  const std::size_t frame = frames.size();
  if (!lc::append_dead_letter_frame(frames, 7, entry, refs)) return;
  lc::DeadLetterEntry again;
  if (!lc::decode_dead_letter(std::string_view(frames).substr(frame + lc::kFrameHeaderBytes),
                              encoder.sources(), again) ||
      again.id != entry.id || again.added != entry.added || again.sink != entry.sink ||
      again.reason.kind != entry.reason.kind || again.reason.message != entry.reason.message ||
      !same_record(entry.record, again.record)) {
    __builtin_trap();
  }
}

// Decodes every payload the way its owner does at start-up.
struct Decoders {
  lc::RecordFrameDecoder records;
  lc::SegmentSources sources;

  void decode(SegmentKind kind, std::string_view payload) {
    if (kind == SegmentKind::kDiskBuffer) {
      lc::LogRecord record;
      if (records.decode(payload, record) == lc::RecordFrameDecoder::Result::kRecord) {
        check_record_round_trip(record);
      }
      return;
    }
    const auto type = static_cast<FrameType>(payload[0]);  // intact frames are never empty
    if (type == FrameType::kContainerMetadata || type == FrameType::kFileSource) {
      lc::decode_source_definition(payload, sources);
    } else if (type == FrameType::kDeadLetter) {
      lc::DeadLetterEntry entry;
      if (lc::decode_dead_letter(payload, sources, entry)) {
        check_dead_letter_round_trip(entry);
      }
    } else {
      std::vector<std::uint64_t> ids;
      lc::decode_removal(payload, ids);
    }
  }
};

struct Visited {
  std::vector<std::uint64_t> offsets;
  std::vector<std::string> payloads;
  lc::SegmentRecovery recovery;
};

Visited recover(SegmentKind kind, std::uint64_t file_bytes) {
  Visited visited;
  Decoders decoders;
  visited.recovery = lc::recover_segment(
      directory(), 1, kind, "fuzz", [&](std::uint64_t offset, std::string_view payload) {
        if (offset < lc::SegmentHeader::kSize ||
            offset + lc::kFrameHeaderBytes + payload.size() > file_bytes ||
            (!visited.offsets.empty() && offset <= visited.offsets.back())) {
          __builtin_trap();
        }
        visited.offsets.push_back(offset);
        visited.payloads.emplace_back(payload);
        decoders.decode(kind, payload);
      });
  return visited;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const SegmentKind kind =
      (data[0] & 2) != 0 ? SegmentKind::kDeadLetters : SegmentKind::kDiskBuffer;
  const std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::string file = (data[0] & 1) != 0 ? build_segment(kind, body) : std::string(body);
  const std::string path = directory().path_of(1);
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(file.data(), static_cast<std::streamsize>(file.size()));

  const Visited first = recover(kind, file.size());
  using Outcome = lc::SegmentRecovery::Outcome;
  if (first.recovery.outcome == Outcome::kUsable) {
    if (std::filesystem::file_size(path) != first.recovery.valid_bytes ||
        first.recovery.valid_bytes + first.recovery.truncated_bytes != file.size()) {
      __builtin_trap();
    }
    const Visited second = recover(kind, first.recovery.valid_bytes);
    if (second.recovery.outcome != Outcome::kUsable || second.recovery.truncated_bytes != 0 ||
        second.offsets != first.offsets || second.payloads != first.payloads ||
        second.recovery.corrupt_regions != first.recovery.corrupt_regions) {
      __builtin_trap();
    }
  }
  std::filesystem::remove(path);
  std::filesystem::remove(path + ".corrupt");
  return 0;
}
