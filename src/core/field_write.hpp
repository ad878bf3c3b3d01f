#pragma once

#include "core/field_path.hpp"
#include "core/record_fields.hpp"

namespace lc {

// The value at `path` in a record's fields, to write: missing maps are created along the way,
// so a parser can write `.fields.http.status` into a record without fields. Null when the path
// is not under `.fields`, goes through a list index (a writer names keys), or goes through a
// value that is not a map (`.fields.http` holding a string: it is not overwritten).
FieldValue* writable_field(RecordFields& fields, const FieldPath& path);

// Removes the value at `path` (a .fields path named by keys); false when there was none. A
// record that lacks it is not copied (copies of a record share their fields until one writes).
bool erase_field(RecordFields& fields, const FieldPath& path);

}  // namespace lc
