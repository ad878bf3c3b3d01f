#include "server/http_router.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <future>
#include <thread>

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

// The server's thread is the inputs' thread: a handler given a worker executor must run there
// (the dead-letter routes read segments and build large answers).
TEST(HttpRouterTest, AHandlerGivenAnExecutorRunsThereAndTheCallerResumesOnItsOwn) {
  namespace asio = boost::asio;
  asio::thread_pool workers(1);
  asio::io_context server;
  HttpRouter router;
  std::thread::id handler_thread;
  router.add(
      "GET", "/work",
      [&](const HttpRequest& r) {
        handler_thread = std::this_thread::get_id();
        return text("done " + r.query);
      },
      workers.get_executor());
  router.add("GET", "/inline", [&](const HttpRequest&) {
    handler_thread = std::this_thread::get_id();
    return text("inline");
  });
  std::thread::id resumed_on;
  auto answer = asio::co_spawn(
      server,
      [&]() -> asio::awaitable<std::string> {
        const HttpRequest request{"GET", "/work", "q", ""};
        const HttpResponse response = co_await router.route_async(request);
        resumed_on = std::this_thread::get_id();
        co_return response.body;
      },
      asio::use_future);
  server.run();  // on this thread
  ASSERT_EQ(answer.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(answer.get(), "done q");
  EXPECT_NE(handler_thread, std::this_thread::get_id());
  EXPECT_EQ(resumed_on, std::this_thread::get_id());

  server.restart();
  auto inline_answer = asio::co_spawn(
      server,
      [&]() -> asio::awaitable<unsigned> {
        const HttpRequest none{"GET", "/none", "", ""};
        const HttpRequest inline_request{"GET", "/inline", "", ""};
        const HttpResponse missing = co_await router.route_async(none);
        const HttpResponse response = co_await router.route_async(inline_request);
        co_return missing.status * 1000 + (response.body == "inline" ? 1 : 0);
      },
      asio::use_future);
  server.run();
  EXPECT_EQ(inline_answer.get(), 404001u);
  EXPECT_EQ(handler_thread, std::this_thread::get_id());
}

}  // namespace
}  // namespace lc::server
