#include "inputs/json_file/gzip_log_file.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "inputs/json_file/json_file_test_support.hpp"
#include "inputs/json_file/log_file_chain.hpp"
#include "inputs/json_file/unique_fd.hpp"

namespace lc::json_file {
namespace {

using testing::append;
using testing::gzip_file;

class GzipLogFileTest : public ::testing::Test {
 protected:
  GzipLogFileTest() {
    for (int i = 0; i < 20000; ++i) content_ += "line " + std::to_string(i) + "\n";  // ~200 KB
    append(plain_, content_);
    gzip_file(plain_, gz_);
  }
  UniqueFd open(const std::string& path) {
    return UniqueFd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  }
  std::string read(GzipLogFile& file, std::uint64_t offset, std::size_t size) {
    std::string out(size, '\0');
    const ssize_t n = file.read_at(out.data(), size, offset);
    EXPECT_GE(n, 0) << std::strerror(errno);
    out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return out;
  }

  testing::TempDir dir_;
  std::string plain_ = dir_.file("log");
  std::string gz_ = dir_.file("log.1.gz");
  std::string content_;
};

TEST_F(GzipLogFileTest, ReadsTheUncompressedBytesAtOffsetsAsTheReaderAsksForThem) {
  UniqueFd fd = open(gz_);
  GzipLogFile file(fd.get());
  // The reader's pattern: a chunk, then from a little before its end (a partial line read
  // again, and the byte before it as a guard), and so on to the end.
  std::string assembled;
  std::uint64_t offset = 0;
  for (;;) {
    const std::string chunk = read(file, offset > 0 ? offset - 1 : 0, 5000);
    const std::string data = offset > 0 ? chunk.substr(1) : chunk;
    if (data.empty()) break;
    const std::size_t keep = data.size() > 7 ? data.size() - 7 : data.size();
    assembled += data.substr(0, keep);
    offset += keep;
  }
  EXPECT_TRUE(assembled == content_);
  EXPECT_TRUE(read(file, content_.size(), 10).empty());  // at the end
  EXPECT_TRUE(file.ended_cleanly());
  EXPECT_TRUE(read(file, content_.size() + 5, 10).empty());  // past it
}

TEST_F(GzipLogFileTest, AnEarlierOffsetInflatesAgainFromTheStart) {
  UniqueFd fd = open(gz_);
  GzipLogFile file(fd.get());
  EXPECT_EQ(read(file, 150000, 100), content_.substr(150000, 100));
  EXPECT_EQ(read(file, 10, 100), content_.substr(10, 100));
  EXPECT_TRUE(read(file, 0, content_.size() + 10) == content_);
}

TEST_F(GzipLogFileTest, AFileStillBeingWrittenEndsEarlyWithoutAnError) {
  const auto size = std::filesystem::file_size(gz_);
  std::filesystem::resize_file(gz_, size / 2);
  UniqueFd fd = open(gz_);
  GzipLogFile file(fd.get());
  const std::string head = read(file, 0, content_.size());
  EXPECT_GT(head.size(), 0u);
  EXPECT_LT(head.size(), content_.size());
  EXPECT_TRUE(head == content_.substr(0, head.size()));
  EXPECT_TRUE(read(file, head.size(), 10).empty());
  EXPECT_FALSE(file.ended_cleanly());
}

// Bytes of the .gz overwritten with `byte` from `at` on.
void damage(const std::string& path, std::uint64_t at, std::size_t count, char byte) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(at));
  const std::string bytes(count, byte);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Reads from 0 to the end or an error; the last read's result.
ssize_t read_all(GzipLogFile& file, std::string& out) {
  char buffer[4096];
  ssize_t n;
  while ((n = file.read_at(buffer, sizeof(buffer), out.size())) > 0) out.append(buffer, n);
  return n;
}

TEST_F(GzipLogFileTest, ADamagedStreamIsAnError) {
  damage(gz_, 10, 1, '\x07');  // the first deflate block: BTYPE 11, reserved
  UniqueFd fd = open(gz_);
  GzipLogFile file(fd.get());
  std::string out;
  EXPECT_EQ(read_all(file, out), -1);
  EXPECT_EQ(errno, EIO);
  EXPECT_TRUE(out.empty());
}

TEST_F(GzipLogFileTest, DamageInTheMiddleIsAnErrorByTheEndAtLatest) {
  // Deflate has no check of its own per block: the gzip trailer's CRC catches what decodes.
  damage(gz_, std::filesystem::file_size(gz_) / 2, 64, '\x55');
  UniqueFd fd = open(gz_);
  GzipLogFile file(fd.get());
  std::string out;
  EXPECT_EQ(read_all(file, out), -1);
  EXPECT_EQ(errno, EIO);
  EXPECT_GT(out.size(), 0u);
  EXPECT_TRUE(out.substr(0, 1000) == content_.substr(0, 1000));
}

TEST_F(GzipLogFileTest, ReadsMembersOneAfterTheOther) {
  const std::string second = dir_.file("second.gz");
  gzip_file(plain_, second);
  std::ifstream in(second, std::ios::binary);
  append(gz_, std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
  UniqueFd fd = open(gz_);
  GzipLogFile file(fd.get());
  EXPECT_TRUE(read(file, 0, 3 * content_.size()) == content_ + content_);
}

TEST_F(GzipLogFileTest, PaddingAfterTheLastMemberIsNotAnError) {
  append(gz_, std::string(512, '\0'));
  UniqueFd fd = open(gz_);
  GzipLogFile file(fd.get());
  std::string out;
  EXPECT_EQ(read_all(file, out), 0);
  EXPECT_TRUE(out == content_);
  EXPECT_TRUE(file.ended_cleanly());
}

TEST_F(GzipLogFileTest, FingerprintIsTheUncompressedFilesFirstLine) {
  UniqueFd plain = open(plain_);
  UniqueFd gz = open(gz_);
  EXPECT_NE(file_fingerprint(plain.get()), 0u);
  EXPECT_EQ(file_fingerprint(gz.get(), /*compressed=*/true), file_fingerprint(plain.get()));
  EXPECT_NE(file_fingerprint(gz.get()), file_fingerprint(plain.get()));  // read as plain bytes
}

}  // namespace
}  // namespace lc::json_file
