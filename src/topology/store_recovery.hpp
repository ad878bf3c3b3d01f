#pragma once

#include <map>
#include <string>

#include "buffer/checkpoint_store.hpp"
#include "core/container_position.hpp"

namespace lc {

class FileStoreSink;

// The store is the proof of delivery: records it holds past the checkpoint's store cursor
// were delivered after the last save (e.g. just before a kill -9), so the positions move
// past them too: a container's position, and a tailed file's place in the file (its records
// carry it). Nothing the store holds is read again; nothing it lacks is skipped. Returns the
// saved state with its positions moved.
CheckpointState recover_positions(const CheckpointState& saved, FileStoreSink& store);

}  // namespace lc
