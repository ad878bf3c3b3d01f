#pragma once

#include <string>

#include "core/log_record.hpp"

namespace lc {

// The _id under which a record is indexed: 128 bits of XXH3 over what makes the record itself,
// base64url (22 characters). The same record read again after a restart, or sent again after a
// lost answer, gets the same id, so that `create` refuses it (409) instead of indexing it twice.
//
// - container records: the container, the stream, Docker's time and the record's rank among
//   those with that time (its source position); a json-file line that was not JSON (no time of
//   its own): the container, the stream, the file's fingerprint, its offset and its text;
// - tailed-file records: the file's fingerprint, device and inode, the offset after the record
//   and its text (their read time is no position; files may share a first line);
// - records of neither: their time, stream and message (two equal lines at the same
//   nanosecond become one document);
// - fields.emit_index, when a processor made several records of one line.
//
// Appends the id to `out`.
void append_elasticsearch_document_id(std::string& out, const LogRecord& record);

}  // namespace lc
