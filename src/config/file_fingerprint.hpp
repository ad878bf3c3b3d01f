#pragma once

#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace lc {

// A fingerprint of the contents of files a component reads when it is built (a CA, a client
// certificate and its key): kept in the component's options, it makes a reload rebuild the
// component when a file was renewed though no key changed. Empty paths are skipped; a missing
// or unreadable file, or one that is not a regular file, counts as such (building the component
// reports it); only the first MiB of a file counts. Not a secure hash: it detects changes.
std::uint64_t fingerprint_files(std::initializer_list<std::string_view> paths);

}  // namespace lc
