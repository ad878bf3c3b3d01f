#include "sinks/common/http_response_text.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

TEST(HttpResponseText, ExcerptIsOneShortValidLine) {
  EXPECT_EQ(http_response_excerpt(" \t a\nb\r\nc\t \n"), "a b  c");
  EXPECT_EQ(http_response_excerpt(std::string("x\0y\x7fz", 5)), "x?y?z");
  EXPECT_EQ(http_response_excerpt("caf\xc3\xa9 \xff"), "caf\xc3\xa9 \xEF\xBF\xBD");
  const std::string long_body(2000, 'a');
  EXPECT_EQ(http_response_excerpt(long_body), std::string(kMaxDetailBytes, 'a') + "...");
  // A cut through a multi-byte character leaves no broken UTF-8 behind.
  const std::string cut = std::string(kMaxDetailBytes - 1, 'a') + "\xc3\xa9" + "tail";
  EXPECT_EQ(http_response_excerpt(cut), std::string(kMaxDetailBytes - 1, 'a') + "\xEF\xBF\xBD...");
}

TEST(HttpResponseText, DescriptionNamesTheStatusAndTheExcerpt) {
  EXPECT_EQ(describe_http_status(400, "  bad\nbody "), "HTTP 400 Bad Request: bad body");
  EXPECT_EQ(describe_http_status(503, ""), "HTTP 503 Service Unavailable");
  EXPECT_EQ(describe_http_status(555, "x"), "HTTP 555: x");
}

}  // namespace
}  // namespace lc
