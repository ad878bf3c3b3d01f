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

DeliveryReceipt DeliveryReceipt::of(std::span<const LogRecord> records) {
  DeliveryReceipt receipt;
  const void* current_owner = nullptr;  // records of one source come in runs
  FileIdentity current_file;            // a tailed path's files have a key each
  for (const LogRecord& record : records) {
    const void* owner = record.container ? static_cast<const void*>(record.container.get())
                                         : static_cast<const void*>(record.file_source.get());
    if (receipt.sources.empty() || owner != current_owner ||
        (record.file_source && record.file_position.file != current_file)) {
      std::string key = checkpoint_key(record);
      if (receipt.sources.empty() || receipt.sources.back().key != key) {
        receipt.sources.push_back(Source{std::move(key), record.position_after(), {}, 0});
      }
      current_owner = owner;
      current_file = record.file_position.file;
    }
    Source& source = receipt.sources.back();
    source.position = ContainerPosition::later(source.position, record.position_after());
    source.file.reset();
    if (record.file_position.file.valid()) {
      source.file =
          FileResumePoint{record.file_position, record.file_fingerprint, record.position_after()};
    }
    ++source.records;
  }
  return receipt;
}

}  // namespace lc
