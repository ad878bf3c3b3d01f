// The URL of an HTTP sink: each sink type gives its default path and an example for messages.
#include "sinks/common/http_url.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

HttpUrl url_of(std::string_view text, std::string_view default_path = "/push") {
  HttpUrl url;
  const ValueProblem problem = parse_http_url(text, default_path, "http://h:1/push", url);
  EXPECT_FALSE(problem) << text << ": " << *problem;
  return url;
}

TEST(HttpUrl, TheSinksDefaultPathFillsAMissingOne) {
  EXPECT_EQ(url_of("http://es:9200", "/_bulk").target, "/_bulk");
  EXPECT_EQ(url_of("http://es:9200/", "/_bulk").target, "/_bulk");
  EXPECT_EQ(url_of("http://es:9200?pipeline=x", "/_bulk").target, "/_bulk?pipeline=x");
  EXPECT_EQ(url_of("https://splunk/services/collector/event", "/x").target,
            "/services/collector/event");
}

TEST(HttpUrl, HostPortAndSchemeAsWritten) {
  const HttpUrl v6 = url_of("https://[fd00::1]:8088/a");
  EXPECT_TRUE(v6.https);
  EXPECT_EQ(v6.host, "fd00::1");
  EXPECT_EQ(v6.port, 8088);
  EXPECT_EQ(v6.host_header(), "[fd00::1]:8088");
  EXPECT_EQ(v6.describe(), "https://[fd00::1]:8088/a");
  EXPECT_EQ(url_of("http://collector").port, 80);
  EXPECT_EQ(url_of("https://collector").port, 443);
}

TEST(HttpUrl, ProblemsShowTheSinksExample) {
  HttpUrl url;
  EXPECT_EQ(parse_http_url("ftp://h", "/", "https://es:9200", url),
            "expected a URL such as https://es:9200 (the scheme must be http:// or https://), got "
            "'ftp://h'");
  EXPECT_EQ(parse_http_url("http://u:p@h", "/", "https://es:9200", url),
            "expected a URL such as https://es:9200 (no user:password@ in the URL: set username "
            "and password), got 'http://u:p@h'");
  EXPECT_TRUE(parse_http_url("http://h:0", "/", "x", url).has_value());
}

}  // namespace
}  // namespace lc
