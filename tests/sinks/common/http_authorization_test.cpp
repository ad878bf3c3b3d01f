#include "sinks/common/http_authorization.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

TEST(HttpAuthorization, BasicWhenAUserIsSetElseBearerElseNone) {
  EXPECT_EQ(http_authorization("agent", "pa:ss", ""), "Basic YWdlbnQ6cGE6c3M=");
  EXPECT_EQ(http_authorization("agent", "", ""), "Basic YWdlbnQ6");
  EXPECT_EQ(http_authorization("", "", "tok"), "Bearer tok");
  EXPECT_EQ(http_authorization("", "", ""), "");
}

}  // namespace
}  // namespace lc
