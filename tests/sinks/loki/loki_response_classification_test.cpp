#include "sinks/loki/loki_response_classification.hpp"

#include <gtest/gtest.h>

#include <set>

namespace lc {
namespace {

using Class = HttpResponseClass;

TEST(LokiResponseClassification, SuccessIsDeliveredWithoutDetail) {
  for (const unsigned status : {200u, 204u, 299u}) {
    const auto verdict = classify_loki_response(status, "ignored");
    EXPECT_EQ(verdict.answer_class, Class::kDelivered) << status;
    EXPECT_FALSE(verdict.error) << status;
    EXPECT_EQ(verdict.detail, "") << status;
  }
}

TEST(LokiResponseClassification, EveryStatusHasOneClassAndKind) {
  struct Case {
    unsigned status;
    Class answer_class;
    LokiErrorKind kind;
  };
  for (const Case& c : {Case{429, Class::kTransient, LokiErrorKind::kHttp429},
                        Case{500, Class::kTransient, LokiErrorKind::kHttp5xx},
                        Case{503, Class::kTransient, LokiErrorKind::kHttp5xx},
                        Case{599, Class::kTransient, LokiErrorKind::kHttp5xx},
                        Case{408, Class::kTransient, LokiErrorKind::kTimeout},
                        Case{401, Class::kUnauthorized, LokiErrorKind::kHttpAuth},
                        Case{403, Class::kUnauthorized, LokiErrorKind::kHttpAuth},
                        Case{407, Class::kUnauthorized, LokiErrorKind::kHttpAuth},
                        Case{413, Class::kTooLarge, LokiErrorKind::kHttp413},
                        Case{400, Class::kUnexpected, LokiErrorKind::kHttp400},
                        Case{404, Class::kUnexpected, LokiErrorKind::kHttp4xx},
                        Case{405, Class::kUnexpected, LokiErrorKind::kHttp4xx},
                        Case{421, Class::kUnexpected, LokiErrorKind::kHttp4xx},
                        Case{422, Class::kUnexpected, LokiErrorKind::kHttp4xx},
                        Case{301, Class::kUnexpected, LokiErrorKind::kHttpOther},
                        Case{101, Class::kUnexpected, LokiErrorKind::kHttpOther}}) {
    const auto verdict = classify_loki_response(c.status, "");
    EXPECT_EQ(verdict.answer_class, c.answer_class) << c.status;
    ASSERT_TRUE(verdict.error) << c.status;
    EXPECT_EQ(*verdict.error, c.kind) << c.status;
    EXPECT_FALSE(verdict.reject_reason) << c.status;
    EXPECT_TRUE(verdict.detail.starts_with("HTTP " + std::to_string(c.status))) << verdict.detail;
  }
}

TEST(LokiResponseClassification, OnlyA400WithLokisValidationMessageRefusesRecords) {
  const std::string too_old =
      "entry for stream '{job=\"x\"}' has timestamp too old: 2020-01-01T00:00:00Z, oldest "
      "acceptable timestamp is: 2023-11-07T22:13:20Z";
  const auto refused = classify_loki_response(400, too_old);
  EXPECT_EQ(refused.answer_class, Class::kRecordsRefused);
  EXPECT_EQ(refused.reject_reason, LokiRejectReason::kTooOld);
  EXPECT_EQ(refused.error, LokiErrorKind::kHttp400);
  // The same words from a proxy's 404 or 502 are not Loki judging records.
  EXPECT_EQ(classify_loki_response(404, too_old).answer_class, Class::kUnexpected);
  EXPECT_EQ(classify_loki_response(502, too_old).answer_class, Class::kTransient);
  // nginx in front of an https Loki, reached over http: a misconfiguration, not bad records.
  const auto proxy = classify_loki_response(
      400,
      "<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head>"
      "<body><center><h1>400 Bad Request</h1></center></body></html>");
  EXPECT_EQ(proxy.answer_class, Class::kUnexpected);
  EXPECT_FALSE(proxy.reject_reason);
  EXPECT_EQ(classify_loki_response(400, "").answer_class, Class::kUnexpected);
}

TEST(LokiResponseClassification, DetailNamesTheStatusAndLokisMessage) {
  EXPECT_EQ(classify_loki_response(400, "  entry out of order\n").detail,
            "HTTP 400 Bad Request: entry out of order");
  EXPECT_EQ(classify_loki_response(503, "").detail, "HTTP 503 Service Unavailable");
  EXPECT_EQ(classify_loki_response(555, "x").detail, "HTTP 555: x");
}

TEST(LokiResponseClassification, KindNamesAreDistinctMetricLabels) {
  std::set<std::string_view> kinds;
  for (std::size_t i = 0; i < kLokiErrorKindCount; ++i) {
    kinds.insert(to_string(static_cast<LokiErrorKind>(i)));
  }
  EXPECT_EQ(kinds.size(), kLokiErrorKindCount);
  EXPECT_FALSE(kinds.contains("unknown"));
}

}  // namespace
}  // namespace lc
