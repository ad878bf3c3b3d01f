// jemalloc's settings, read by jemalloc itself at start-up (linked only with jemalloc, see
// src/CMakeLists.txt; MALLOC_CONF in the environment still overrides them).
//
// - narenas:1: the agent has a fixed handful of threads and one hot pair (the input loop
//   allocates records, the sink thread frees them); thread caches absorb most calls, and one
//   arena keeps the peak memory lowest (measured in bench/).
// - dirty_decay_ms:1000, muzzy_decay_ms:0: memory freed after a burst goes back to the system
//   within about a second instead of ten.
// - background_thread:true, max_background_threads:1: without it the decay above only runs
//   inside allocator calls, so an agent that goes quiet keeps what it freed: measured idle
//   RSS 15.6 MiB without, 11.6 MiB with (4 MiB of freed start-up and burst memory returned).
//   One thread, whatever the number of containers.
extern "C" {
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): jemalloc's interface
const char* malloc_conf =
    "narenas:1,dirty_decay_ms:1000,muzzy_decay_ms:0,background_thread:true,"
    "max_background_threads:1";
}
