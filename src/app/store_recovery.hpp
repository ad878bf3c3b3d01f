#pragma once

#include <map>
#include <string>

#include "buffer/checkpoint_store.hpp"
#include "core/container_position.hpp"

namespace lc {

class FileStoreSink;

// The store is the proof of delivery: records it holds past the checkpoint's store cursor
// were delivered after the last save (e.g. just before a kill -9), so the positions move
// past them too. Nothing the store holds is read again; nothing it lacks is skipped.
std::map<std::string, ContainerPosition> recover_positions(const CheckpointState& saved,
                                                           FileStoreSink& store);

}  // namespace lc
