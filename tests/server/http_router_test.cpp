#include "server/http_router.hpp"

#include <gtest/gtest.h>

namespace lc::server {
namespace {

HttpResponse text(std::string body) { return HttpResponse{200, "text/plain", std::move(body), {}}; }

TEST(HttpRouterTest, DispatchesOnMethodAndExactPath) {
  HttpRouter router;
  router.add("GET", "/a", [](const HttpRequest& r) { return text("get " + r.query); });
  router.add("POST", "/a", [](const HttpRequest& r) { return text("post " + r.body); });
  EXPECT_EQ(router.route({"GET", "/a", "x=1", ""}).body, "get x=1");
  EXPECT_EQ(router.route({"POST", "/a", "", "payload"}).body, "post payload");
  EXPECT_EQ(router.route({"GET", "/a/", "", ""}).status, 404u);
  EXPECT_EQ(router.route({"GET", "/A", "", ""}).status, 404u);
}

TEST(HttpRouterTest, UnknownPathIs404Json) {
  const HttpResponse response = HttpRouter{}.route({"GET", "/nothing", "", ""});
  EXPECT_EQ(response.status, 404u);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"({"error":"not found"})");
  EXPECT_TRUE(response.headers.empty());
}

TEST(HttpRouterTest, KnownPathWithOtherMethodIs405WithSortedAllow) {
  HttpRouter router;
  router.add("PUT", "/a", [](const HttpRequest&) { return text(""); });
  router.add("GET", "/a", [](const HttpRequest&) { return text(""); });
  const HttpResponse response = router.route({"DELETE", "/a", "", ""});
  EXPECT_EQ(response.status, 405u);
  EXPECT_EQ(response.body, R"({"error":"method not allowed"})");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "GET, PUT");
}

TEST(HttpRouterTest, ThrowingHandlerIs500) {
  HttpRouter router;
  router.add("GET", "/std", [](const HttpRequest&) -> HttpResponse {
    throw std::runtime_error("with \"quotes\"");
  });
  router.add("GET", "/other", [](const HttpRequest&) -> HttpResponse { throw 42; });
  EXPECT_EQ(router.route({"GET", "/std", "", ""}).status, 500u);
  EXPECT_EQ(router.route({"GET", "/std", "", ""}).body,
            R"({"error":"internal error: with \"quotes\""})");
  EXPECT_EQ(router.route({"GET", "/other", "", ""}).body, R"({"error":"internal error"})");
}

TEST(HttpRouterTest, AddingTheSameRouteAgainReplacesIt) {
  HttpRouter router;
  router.add("GET", "/a", [](const HttpRequest&) { return text("first"); });
  router.add("GET", "/a", [](const HttpRequest&) { return text("second"); });
  EXPECT_EQ(router.route({"GET", "/a", "", ""}).body, "second");
}

}  // namespace
}  // namespace lc::server
