#pragma once

#include <string>
#include <string_view>
#include <system_error>

namespace lc {

// Replaces the file at `path` with `contents` so that a crash at any instant leaves either the
// old or the new file: writes <path>.tmp, renames it over <path>. With `durable`, the temporary
// file is fsynced before the rename and the directory after it (the new contents survive a
// power loss); without, the OS writes them back when it likes. On failure the old file stays and
// no temporary file is left behind.
std::error_code write_file_atomically(const std::string& path, std::string_view contents,
                                      bool durable);

}  // namespace lc
