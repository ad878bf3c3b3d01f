#include "buffer/checkpoint_store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "support/temp_directory.hpp"

namespace lc {
namespace {

CheckpointState sample_state() {
  CheckpointState state;
  state.containers[std::string(64, 'a')] = {{1'700'000'000'123'456'789, 3},
                                            {1'700'000'000'000'000'001, 1}};
  state.containers[std::string(64, 'b')] = {{-5, 0}, {}};  // before the epoch still round-trips
  state.containers[std::string(64, 'c')] = {{INT64_MAX, UINT32_MAX}, {INT64_MAX, UINT32_MAX}};
  state.container_files[std::string(64, 'a')] = {{{2049, 1234567}, 987654321},
                                                 0xfedcba9876543210ull,
                                                 {{1'700'000'000'123'456'000, 1}, {}},
                                                 {{2049, 1234567}, 987655000}};
  state.store = {42, 123456789012};
  return state;
}

std::vector<std::string> names_in(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

TEST(CheckpointStore, MissingFileLoadsEmptyState) {
  testing::TempDirectory dir;
  CheckpointStore store(dir / "checkpoints.json");
  EXPECT_EQ(store.load(), CheckpointState{});
  EXPECT_EQ(store.corrupt_files(), 0u);
}

TEST(CheckpointStore, SaveThenLoadRoundTripsExactly) {
  testing::TempDirectory dir;
  CheckpointStore store(dir / "checkpoints.json");
  store.save(sample_state());
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"checkpoints.json"});  // no .tmp left
  EXPECT_EQ(CheckpointStore(dir / "checkpoints.json").load(), sample_state());

  CheckpointState next = sample_state();
  next.containers.erase(std::string(64, 'b'));
  next.store.offset += 1;
  store.save(next);
  EXPECT_EQ(store.load(), next);
  EXPECT_EQ(store.corrupt_files(), 0u);
}

TEST(CheckpointStore, EachStreamsDeliveredEndRoundTrips) {
  CheckpointState state = sample_state();
  FileResumePoint& point = state.container_files.begin()->second;
  point.stream_ends = {FilePosition{{2049, 1234567}, 987655000},
                       FilePosition{{2049, 1234568}, 120}};
  const std::string json = CheckpointStore::to_json(state);
  EXPECT_EQ(nlohmann::json::parse(json)["containers"][state.container_files.begin()->first]["file"]
                                       ["stream_ends"]["stderr"]["inode"],
            1234568);
  EXPECT_EQ(CheckpointStore::from_json(json), state);
}

TEST(CheckpointStore, FormatIsVersionedJsonWithIntegerNanoseconds) {
  testing::TempDirectory dir;
  CheckpointStore store(dir / "checkpoints.json");
  store.save(sample_state());
  const auto json = nlohmann::json::parse(testing::read_whole_file(dir / "checkpoints.json"));
  EXPECT_EQ(json["version"], 2);
  EXPECT_EQ(json["store"]["file_seq"], 42);
  EXPECT_EQ(json["store"]["offset"], 123456789012);
  const auto& a = json["containers"][std::string(64, 'a')];
  EXPECT_TRUE(a["stdout"]["time_ns"].is_number_integer());
  EXPECT_EQ(a["stdout"]["time_ns"].get<std::int64_t>(), 1'700'000'000'123'456'789);
  EXPECT_EQ(a["stdout"]["count"], 3);
  EXPECT_EQ(a["stderr"]["time_ns"].get<std::int64_t>(), 1'700'000'000'000'000'001);
  EXPECT_EQ(a["stderr"]["count"], 1);
}

TEST(CheckpointStore, FilePlaceIsStoredBesideTheContainerPosition) {
  const nlohmann::json document = nlohmann::json::parse(CheckpointStore::to_json(sample_state()));
  const nlohmann::json& file = document["containers"][std::string(64, 'a')]["file"];
  EXPECT_EQ(file["device"], 2049);
  EXPECT_EQ(file["inode"], 1234567);
  EXPECT_EQ(file["offset"], 987654321);
  EXPECT_EQ(file["fingerprint"].get<std::uint64_t>(), 0xfedcba9876543210ull);
  EXPECT_EQ(file["stdout"]["time_ns"], 1'700'000'000'123'456'000);
  EXPECT_EQ(file["stdout"]["count"], 1);
  EXPECT_EQ(file["delivered_through"]["offset"], 987655000);
  EXPECT_FALSE(document["containers"][std::string(64, 'b')].contains("file"));
  // A checkpoint written before file mode existed (no "file") still loads.
  const CheckpointState old = CheckpointStore::from_json(
      R"({"version":1,"store":{"file_seq":1,"offset":0},"containers":{"x":{"time_ns":5,"count":1}}})");
  EXPECT_TRUE(old.container_files.empty());
  EXPECT_THROW(
      CheckpointStore::from_json(
          R"({"version":1,"store":{"file_seq":1,"offset":0},"containers":{"x":{"time_ns":5,"count":1,"file":{"device":1}}}})"),
      std::runtime_error);
}

// The checkpoint file as release 3477527 (format 1) wrote it: one mark for both streams.
constexpr const char* kFormat1Checkpoint = R"({
 "containers": {
  "aaaa": {
   "count": 2,
   "file": {
    "count": 1,
    "device": 2049,
    "fingerprint": 81985529216486895,
    "inode": 1234567,
    "offset": 4096,
    "time_ns": 1700000000000000100
   },
   "time_ns": 1700000000000000200
  },
  "bbbb": {
   "count": 1,
   "time_ns": 1700000000000000300
  }
 },
 "store": {
  "file_seq": 7,
  "offset": 65536
 },
 "version": 1
}
)";

TEST(CheckpointStore, AFormat1CheckpointIsReadAsBothStreamsAtItsMark) {
  // An upgrade resumes where the old version stood: nothing read again from the start.
  testing::TempDirectory dir;
  write_text(dir / "checkpoints.json", kFormat1Checkpoint);
  CheckpointStore store(dir / "checkpoints.json");
  const CheckpointState state = store.load();
  EXPECT_EQ(store.corrupt_files(), 0u);
  EXPECT_EQ(state.store, (StoreCursor{7, 65536}));
  EXPECT_EQ(state.containers.at("aaaa"), ContainerPosition::both({1'700'000'000'000'000'200, 2}));
  EXPECT_EQ(state.containers.at("bbbb"), ContainerPosition::both({1'700'000'000'000'000'300, 1}));
  const FileResumePoint& place = state.container_files.at("aaaa");
  EXPECT_EQ(place.position, (FilePosition{{2049, 1234567}, 4096}));
  EXPECT_EQ(place.fingerprint, 81985529216486895u);
  EXPECT_EQ(place.container_position, ContainerPosition::both({1'700'000'000'000'000'100, 1}));
  EXPECT_EQ(place.delivered_end(), place.position);
  // Its place may be an open line's start: the position decides what was delivered.
  EXPECT_TRUE(place.check_times);
  // Saved again in format 2, it reads back the same.
  store.save(state);
  EXPECT_EQ(store.load(), state);
  EXPECT_THROW(CheckpointStore::from_json(
                   R"({"version":3,"store":{"file_seq":1,"offset":0},"containers":{}})"),
               std::runtime_error);
}

TEST(CheckpointStore, UnknownFieldsAreIgnoredForForwardRoom) {
  testing::TempDirectory dir;
  write_text(dir / "checkpoints.json",
             R"({"version":1,"store":{"file_seq":2,"offset":10},"containers":{},)"
             R"("files":[{"device":1,"inode":2,"offset":3}]})");
  CheckpointStore store(dir / "checkpoints.json");
  CheckpointState expected;
  expected.store = {2, 10};
  EXPECT_EQ(store.load(), expected);
  EXPECT_EQ(store.corrupt_files(), 0u);
}

TEST(CheckpointStore, LeftoverTmpFileIsIgnoredAndReplaced) {
  testing::TempDirectory dir;
  CheckpointStore store(dir / "checkpoints.json");
  store.save(sample_state());
  // A crash between writing the temp file and the rename leaves a half-written .tmp.
  write_text(dir / "checkpoints.json.tmp", R"({"version":1,"store":{"file_se)");
  EXPECT_EQ(store.load(), sample_state());
  EXPECT_EQ(store.corrupt_files(), 0u);

  CheckpointState next;
  next.store = {7, 7};
  store.save(next);
  EXPECT_EQ(store.load(), next);
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"checkpoints.json"});
}

TEST(CheckpointStore, CorruptFilesAreSetAsideAndCounted) {
  const std::vector<std::string> corrupt_texts = {
      "",                                                                    // empty
      "{\"version\":1,\"store\":{\"file_s",                                  // torn
      "[1,2,3]",                                                             // not an object
      R"({"version":3,"store":{"file_seq":1,"offset":0},"containers":{}})",  // future version
      R"({"version":2,"store":{"file_seq":1,"offset":0},"containers":{"x":{"time_ns":1,"count":1}}})",  // format 2 without streams
      R"({"version":1,"store":{"file_seq":-1,"offset":0},"containers":{}})",  // negative seq
      R"({"version":1,"store":{"file_seq":1,"offset":0},"containers":{"x":{"time_ns":"1","count":0}}})",
      R"({"version":1,"store":{"file_seq":1,"offset":0},"containers":{"x":{"time_ns":1,"count":4294967296}}})",
      R"({"version":1,"store":{"file_seq":1,"offset":0}})",  // no containers
  };
  testing::TempDirectory dir;
  CheckpointStore store(dir / "checkpoints.json");
  std::uint64_t expected_corrupt = 0;
  for (const std::string& text : corrupt_texts) {
    SCOPED_TRACE(text);
    write_text(dir / "checkpoints.json", text);
    EXPECT_EQ(store.load(), CheckpointState{});
    EXPECT_EQ(store.corrupt_files(), ++expected_corrupt);
    EXPECT_FALSE(std::filesystem::exists(dir / "checkpoints.json"));
    // The bad content is kept for inspection under a .corrupt-<time> name.
    bool kept = false;
    for (const auto& name : names_in(dir.path())) {
      if (name.starts_with("checkpoints.json.corrupt-") &&
          testing::read_whole_file(dir / name) == text) {
        kept = true;
      }
    }
    EXPECT_TRUE(kept);
  }
  // After corruption, saving works and loads back.
  store.save(sample_state());
  EXPECT_EQ(store.load(), sample_state());
}

TEST(CheckpointStore, SaveFailureThrowsAndKeepsPreviousCheckpoint) {
  testing::TempDirectory dir;
  const std::string sub = dir / "sub";
  std::filesystem::create_directories(sub);
  CheckpointStore store(sub + "/checkpoints.json");
  store.save(sample_state());
  // A directory where the temp file should go makes open() fail (root ignores permissions).
  std::filesystem::create_directories(sub + "/checkpoints.json.tmp");
  CheckpointState next;
  next.store = {9, 9};
  EXPECT_THROW(store.save(next), std::system_error);
  EXPECT_EQ(store.load(), sample_state());
}

TEST(CheckpointStore, SaveIntoMissingDirectoryThrows) {
  testing::TempDirectory dir;
  CheckpointStore store(dir / "missing/checkpoints.json");
  try {
    store.save(sample_state());
    FAIL() << "expected std::system_error";
  } catch (const std::system_error& e) {
    EXPECT_EQ(e.code(), std::errc::no_such_file_or_directory);
    EXPECT_NE(std::string(e.what()).find("checkpoints.json.tmp"), std::string::npos);
  }
}

}  // namespace
}  // namespace lc
