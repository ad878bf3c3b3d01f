#pragma once

#include "core/field_path.hpp"
#include "core/record_fields.hpp"

namespace lc {

// The value at `path` in a record's fields, to write: maps are created along the way (and a
// value that is not a map is replaced by one), so a parser can write `.fields.http.status`
// into a record without fields. Null when the path is not under `.fields` or goes through a
// list index (a writer names keys).
FieldValue* writable_field(RecordFields& fields, const FieldPath& path);

}  // namespace lc
