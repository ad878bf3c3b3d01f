#include "pipeline/delivery_receipt.hpp"

#include "pipeline/file_checkpoints.hpp"

namespace lc {

std::string checkpoint_key(const LogRecord& record) {
  if (record.container) return record.container->id;
  if (record.file_source) {
    return file_checkpoint_key(record.file_source->path, record.file_position.file);
  }
  return {};
}

FileResumePoint file_resume_point(const LogRecord& record, const ContainerPosition& position) {
  FileResumePoint point{record.file_position, record.file_fingerprint, position, {}};
  if (record.file_line_end.file.valid() && !(record.file_line_end == record.file_position)) {
    point.delivered_through = record.file_line_end;
  }
  if (record.file_other_stream_end.file.valid()) {
    const bool err = record.stream == LogStream::kStderr;
    point.stream_ends[err] = record.file_line_end;
    point.stream_ends[!err] = record.file_other_stream_end;
  }
  return point;
}

DeliveryReceipt DeliveryReceipt::of(std::span<const LogRecord> records) {
  DeliveryReceipt receipt;
  const void* current_owner = nullptr;  // records of one source come in runs
  FileIdentity current_file;            // a tailed path's files have a key each
  const LogRecord* last = nullptr;      // of the current source: its place is the source's
  const auto place_last = [&] {
    if (last != nullptr && last->file_position.file.valid()) {
      receipt.sources.back().file = file_resume_point(*last, receipt.sources.back().position);
    }
  };
  for (const LogRecord& record : records) {
    const void* owner = record.container ? static_cast<const void*>(record.container.get())
                                         : static_cast<const void*>(record.file_source.get());
    if (receipt.sources.empty() || owner != current_owner ||
        (record.file_source && record.file_position.file != current_file)) {
      std::string key = checkpoint_key(record);
      if (receipt.sources.empty() || receipt.sources.back().key != key) {
        place_last();
        receipt.sources.push_back(Source{std::move(key), {}, {}, 0});
      }
      current_owner = owner;
      current_file = record.file_position.file;
    }
    Source& source = receipt.sources.back();
    record.advance(source.position);
    last = &record;
    ++source.records;
  }
  place_last();
  return receipt;
}

}  // namespace lc
