// Loki's own per-record validation messages, as grafana/loki writes them (pkg/validation,
// pkg/chunkenc, pkg/ingester), wrapped the ways a distributor answer wraps them.
#include "sinks/loki/loki_validation_refusal.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace lc {
namespace {

using Reason = LokiRejectReason;

TEST(LokiValidationRefusal, RecognisesLokisMessagesByKind) {
  struct Case {
    const char* body;
    Reason reason;
  };
  for (const Case& c : {
           Case{"entry with timestamp 2024-01-01 00:00:00 +0000 UTC ignored, reason: 'entry out of "
                "order' for stream: {job=\"x\"},",
                Reason::kOutOfOrder},
           Case{"rpc error: code = Code(400) desc = entry with timestamp 2022-10-10 13:25:44 +0000 "
                "UTC ignored, reason: 'entry too far behind, entry timestamp is: "
                "2022-10-10T13:25:44Z, oldest acceptable timestamp is: 2022-10-10T14:00:00Z',",
                Reason::kTooFarBehind},
           Case{"entry for stream '{job=\"x\"}' has timestamp too old: 2020-01-01T00:00:00Z, "
                "oldest acceptable timestamp is: 2023-11-07T22:13:20Z",
                Reason::kTooOld},
           Case{"greater_than_max_sample_age", Reason::kTooOld},
           Case{"entry for stream '{job=\"x\"}' has timestamp too new: 2030-01-01T00:00:00Z",
                Reason::kTooNew},
           Case{"Max entry size '262144' bytes exceeded for stream '{job=\"x\"}' while adding an "
                "entry with length '300000' bytes",
                Reason::kLineTooLong},
           Case{"max entry size '262144' bytes exceeded for stream '{job=\"x\"}'",
                Reason::kLineTooLong},
           Case{"Error parsing labels '{job=}' with error: 1:6: parse error: unexpected \"}\"",
                Reason::kInvalidLabels},
           Case{"error at least one label pair is required per stream", Reason::kInvalidLabels},
           Case{"entry for stream '{a=\"1\"}' has 16 label names; limit 15",
                Reason::kInvalidLabels},
           Case{"stream '{a=\"1\"}' has label name too long: 'aaaa'", Reason::kInvalidLabels},
           Case{"stream '{a=\"1\"}' has label value too long: 'bbbb'", Reason::kInvalidLabels},
           Case{"stream '{a=\"1\", a=\"2\"}' has duplicate label name: 'a'",
                Reason::kInvalidLabels},
           Case{"missing required labels [team] for user fake for stream {a=\"1\"}",
                Reason::kInvalidLabels},
           Case{"stream '{a=\"1\"}' includes structured metadata, but this feature is disallowed. "
                "Please see `limits_config.allow_structured_metadata`",
                Reason::kStructuredMetadata},
           Case{"stream '{a=\"1\"}' has structured metadata too large: '70000' bytes, limit: "
                "'65536' bytes.",
                Reason::kStructuredMetadata},
           Case{"stream '{a=\"1\"}' has too many structured metadata labels: '200', limit: '128'.",
                Reason::kStructuredMetadata},
       }) {
    EXPECT_EQ(loki_validation_refusal(c.body), c.reason) << c.body;
  }
}

TEST(LokiValidationRefusal, AnythingElseIsNotLokiJudgingRecords) {
  for (const char* body : {
           "",
           "404 page not found",
           "<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head>",
           "Client sent an HTTP request to an HTTPS server.",
           "error at least one valid stream is required for ingestion",
           "loghttp/push: unexpected end of JSON input",
           "Ingestion rate limit exceeded for user fake (limit: 4194304 bytes/sec)",
       }) {
    EXPECT_EQ(loki_validation_refusal(body), std::nullopt) << body;
  }
}

TEST(LokiValidationRefusal, TheFirstMessageOfAMixedBodyNamesTheReason) {
  EXPECT_EQ(loki_validation_refusal("2 errors like: entry with timestamp ... ignored, reason: "
                                    "'entry out of order'; entry for stream ... has timestamp "
                                    "too old: ..."),
            Reason::kOutOfOrder);
  EXPECT_EQ(loki_validation_refusal("entry for stream ... has timestamp too old: ...; entry with "
                                    "timestamp ... ignored, reason: 'entry out of order'"),
            Reason::kTooOld);
}

TEST(LokiValidationRefusal, ReasonNamesAreDistinctMetricLabels) {
  std::set<std::string_view> reasons;
  for (std::size_t i = 0; i < kLokiRejectReasonCount; ++i) {
    reasons.insert(to_string(static_cast<LokiRejectReason>(i)));
  }
  EXPECT_EQ(reasons.size(), kLokiRejectReasonCount);
  EXPECT_FALSE(reasons.contains("unknown"));
}

TEST(LokiIgnoredEntries, SumsTheTotalsOfEveryStream) {
  // Loki 2.9's ingester: one "total ignored" line per stream.
  const std::string body =
      "entry with timestamp 2020-01-01 00:00:00 +0000 UTC ignored, reason: 'entry too far "
      "behind, ...',\nuser 'fake', total ignored: 2 out of 5 for stream: {app=\"a\"}\n"
      "user 'fake', total ignored: 1 out of 3 for stream: {app=\"b\"}";
  const auto ignored = loki_ignored_entries(body);
  ASSERT_TRUE(ignored);
  EXPECT_EQ(ignored->ignored, 3u);
  EXPECT_EQ(ignored->total, 8u);
  // Older Loki: "total ignored: X out of Y" alone.
  const auto older =
      loki_ignored_entries("...out of order' for stream: {a=\"b\"},\ntotal ignored: 4 out of 4");
  ASSERT_TRUE(older);
  EXPECT_EQ(older->ignored, 4u);
  EXPECT_EQ(older->total, 4u);
}

TEST(LokiIgnoredEntries, NothingWithoutTheCount) {
  EXPECT_FALSE(loki_ignored_entries("entry for stream '{a=\"b\"}' has timestamp too old"));
  EXPECT_FALSE(loki_ignored_entries("total ignored: many out of 4"));
  EXPECT_FALSE(loki_ignored_entries("total ignored: 3 of 4"));
}

}  // namespace
}  // namespace lc
