#include "sinks/loki/loki_response_classification.hpp"

#include <gtest/gtest.h>

#include <set>

namespace lc {
namespace {

using Action = LokiResponseVerdict::Action;

TEST(LokiResponseClassification, SuccessIsDeliveredWithoutDetail) {
  for (const unsigned status : {200u, 204u, 299u}) {
    const auto verdict = classify_loki_response(status, "ignored");
    EXPECT_EQ(verdict.action, Action::kDelivered) << status;
    EXPECT_FALSE(verdict.error) << status;
    EXPECT_EQ(verdict.detail, "") << status;
  }
}

TEST(LokiResponseClassification, EveryStatusHasOneActionAndKind) {
  struct Case {
    unsigned status;
    Action action;
    LokiErrorKind kind;
  };
  for (const Case& c : {Case{429, Action::kRetry, LokiErrorKind::kHttp429},
                        Case{500, Action::kRetry, LokiErrorKind::kHttp5xx},
                        Case{503, Action::kRetry, LokiErrorKind::kHttp5xx},
                        Case{599, Action::kRetry, LokiErrorKind::kHttp5xx},
                        Case{401, Action::kRetry, LokiErrorKind::kHttpAuth},
                        Case{403, Action::kRetry, LokiErrorKind::kHttpAuth},
                        Case{408, Action::kRetry, LokiErrorKind::kTimeout},
                        Case{413, Action::kSplit, LokiErrorKind::kHttp413},
                        Case{400, Action::kReject, LokiErrorKind::kHttp400},
                        Case{404, Action::kReject, LokiErrorKind::kHttp4xx},
                        Case{422, Action::kReject, LokiErrorKind::kHttp4xx},
                        Case{301, Action::kRetry, LokiErrorKind::kHttpOther},
                        Case{101, Action::kRetry, LokiErrorKind::kHttpOther}}) {
    const auto verdict = classify_loki_response(c.status, "");
    EXPECT_EQ(verdict.action, c.action) << c.status;
    ASSERT_TRUE(verdict.error) << c.status;
    EXPECT_EQ(*verdict.error, c.kind) << c.status;
    EXPECT_EQ(verdict.reject_reason.has_value(), c.action == Action::kReject) << c.status;
    EXPECT_TRUE(verdict.detail.starts_with("HTTP " + std::to_string(c.status))) << verdict.detail;
  }
}

TEST(LokiResponseClassification, BadRequestsAreCountedByWhatLokiRefused) {
  const auto reason = [](const char* body) {
    return *classify_loki_response(400, body).reject_reason;
  };
  EXPECT_EQ(reason("entry with timestamp 2024-01-01 ignored, reason: 'entry out of order' for "
                   "stream: {job=\"x\"}"),
            LokiRejectReason::kOutOfOrder);
  EXPECT_EQ(reason("entry for stream '{job=\"x\"}' has timestamp too old: 2020-01-01T00:00:00Z"),
            LokiRejectReason::kTooOld);
  EXPECT_EQ(reason("greater_than_max_sample_age"), LokiRejectReason::kTooOld);
  EXPECT_EQ(reason("reason: 'entry too far behind, entry timestamp is: 2022-10-10T13:25:44Z'"),
            LokiRejectReason::kTooFarBehind);
  EXPECT_EQ(reason("max entry size '262144' exceeded"), LokiRejectReason::kBadRequest);
  EXPECT_EQ(reason(""), LokiRejectReason::kBadRequest);
  EXPECT_EQ(*classify_loki_response(404, "").reject_reason, LokiRejectReason::kHttp4xx);
}

TEST(LokiResponseClassification, DetailNamesTheStatusAndLokisMessage) {
  EXPECT_EQ(classify_loki_response(400, "  entry out of order\n").detail,
            "HTTP 400 Bad Request: entry out of order");
  EXPECT_EQ(classify_loki_response(503, "").detail, "HTTP 503 Service Unavailable");
  EXPECT_EQ(classify_loki_response(555, "x").detail, "HTTP 555: x");
}

TEST(LokiResponseClassification, ExcerptIsOneShortValidLine) {
  EXPECT_EQ(loki_response_excerpt(" \t a\nb\r\nc\t \n"), "a b  c");
  EXPECT_EQ(loki_response_excerpt(std::string("x\0y\x7fz", 5)), "x?y?z");
  EXPECT_EQ(loki_response_excerpt("caf\xc3\xa9 \xff"), "caf\xc3\xa9 \xEF\xBF\xBD");
  const std::string long_body(2000, 'a');
  EXPECT_EQ(loki_response_excerpt(long_body), std::string(kMaxDetailBytes, 'a') + "...");
  // A cut through a multi-byte character leaves no broken UTF-8 behind.
  const std::string cut = std::string(kMaxDetailBytes - 1, 'a') + "\xc3\xa9" + "tail";
  EXPECT_EQ(loki_response_excerpt(cut), std::string(kMaxDetailBytes - 1, 'a') + "\xEF\xBF\xBD...");
}

TEST(LokiResponseClassification, KindAndReasonNamesAreDistinctMetricLabels) {
  std::set<std::string_view> kinds, reasons;
  for (std::size_t i = 0; i < kLokiErrorKindCount; ++i) {
    kinds.insert(to_string(static_cast<LokiErrorKind>(i)));
  }
  for (std::size_t i = 0; i < kLokiRejectReasonCount; ++i) {
    reasons.insert(to_string(static_cast<LokiRejectReason>(i)));
  }
  EXPECT_EQ(kinds.size(), kLokiErrorKindCount);
  EXPECT_EQ(reasons.size(), kLokiRejectReasonCount);
  EXPECT_FALSE(kinds.contains("unknown"));
  EXPECT_FALSE(reasons.contains("unknown"));
}

}  // namespace
}  // namespace lc
