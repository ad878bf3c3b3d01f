#include "docker/docker_http.hpp"

#include <gtest/gtest.h>

namespace lc::docker {
namespace {

TEST(DockerHttpTest, UrlEncodesTheEventsFilter) {
  EXPECT_EQ(url_encode(R"({"type":["container"]})"), "%7B%22type%22%3A%5B%22container%22%5D%7D");
  EXPECT_EQ(url_encode("abc-DEF_1.2~"), "abc-DEF_1.2~");
  EXPECT_EQ(url_encode("a/b c"), "a%2Fb%20c");
  EXPECT_EQ(url_encode("\xff"), "%FF");
}

TEST(DockerHttpTest, ErrorMessageUsesDockersMessage) {
  EXPECT_EQ(docker_error_message("GET /v1.41/containers/nope/json", 404,
                                 R"({"message":"No such container: nope"})"),
            "GET /v1.41/containers/nope/json: 404 Not Found: No such container: nope");
  EXPECT_EQ(docker_error_message("GET /x", 500, "plain failure\n"),
            "GET /x: 500 Internal Server Error: plain failure");
  EXPECT_EQ(docker_error_message("GET /x", 503, ""), "GET /x: 503 Service Unavailable");
  EXPECT_EQ(docker_error_message("GET /x", 999, ""), "GET /x: 999");
}

TEST(DockerHttpTest, ValidatesApiVersions) {
  EXPECT_TRUE(is_valid_api_version("1.41"));
  EXPECT_TRUE(is_valid_api_version("1.9"));
  EXPECT_FALSE(is_valid_api_version(""));
  EXPECT_FALSE(is_valid_api_version("v1.41"));
  EXPECT_FALSE(is_valid_api_version("1."));
  EXPECT_FALSE(is_valid_api_version(".41"));
  EXPECT_FALSE(is_valid_api_version("141"));
  EXPECT_FALSE(is_valid_api_version("1.41/../x"));
  EXPECT_FALSE(is_valid_api_version("1.4.1"));
}

TEST(DockerHttpTest, GetRequestCarriesHostAndKeepAlive) {
  const auto request = make_docker_get("/v1.41/version", "docker");
  EXPECT_EQ(request.target(), "/v1.41/version");
  EXPECT_EQ(request[boost::beast::http::field::host], "docker");
  EXPECT_TRUE(request.keep_alive());
  EXPECT_EQ(request.version(), 11u);
}

}  // namespace
}  // namespace lc::docker
