// Bulk answers as Elasticsearch writes them, whole and through the sink's filter_path, and
// what each item's answer means for its record.
#include "sinks/elasticsearch/elasticsearch_bulk_response.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lc {
namespace {

using ::testing::HasSubstr;

TEST(ElasticsearchBulkResponse, ReadsWholeAndFilteredAnswers) {
  std::vector<BulkItemResult> items;
  // A whole answer (Elasticsearch 8), two items.
  ASSERT_FALSE(parse_bulk_response(
      R"({"took":30,"errors":true,"items":[)"
      R"({"create":{"_index":"logs","_id":"a","_version":1,"result":"created","_shards":)"
      R"({"total":2,"successful":1,"failed":0},"_seq_no":0,"_primary_term":1,"status":201}},)"
      R"({"create":{"_index":"logs","_id":"b","status":400,"error":{"type":)"
      R"("mapper_parsing_exception","reason":"failed to parse field [n]","caused_by":{}}}}]})",
      items));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].status, 201u);
  EXPECT_TRUE(items[0].error_type.empty());
  EXPECT_EQ(items[1].status, 400u);
  EXPECT_EQ(describe_bulk_item(items[1]),
            "mapper_parsing_exception: failed to parse field [n] (HTTP 400)");
  // filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason
  ASSERT_FALSE(parse_bulk_response(
      R"({"errors":false,"items":[{"create":{"status":201}},{"index":{"status":200}}]})", items));
  EXPECT_EQ(items.size(), 2u);
}

TEST(ElasticsearchBulkResponse, AnythingElseIsNoBulkAnswer) {
  std::vector<BulkItemResult> items;
  EXPECT_THAT(parse_bulk_response("<html>", items).value_or(""), HasSubstr("not JSON"));
  EXPECT_THAT(parse_bulk_response(R"({"errors":false})", items).value_or(""),
              HasSubstr("no \"items\""));
  EXPECT_THAT(parse_bulk_response(R"({"items":[{"create":{}}]})", items).value_or(""),
              HasSubstr("no HTTP status"));
  EXPECT_THAT(parse_bulk_response(R"({"items":[{"create":{"status":99}}]})", items).value_or(""),
              HasSubstr("no HTTP status"));
  EXPECT_THAT(parse_bulk_response(R"({"items":[{"a":{"status":201},"b":{}}]})", items).value_or(""),
              HasSubstr("is not"));
}

TEST(ElasticsearchBulkResponse, ItemsAreClassifiedForTheirRecords) {
  const auto of = [](unsigned status, std::string type = {}, std::string reason = {}) {
    return classify_bulk_item({status, std::move(type), std::move(reason)});
  };
  EXPECT_EQ(of(201), BulkItemClass::kCreated);
  EXPECT_EQ(of(200), BulkItemClass::kCreated);
  EXPECT_EQ(of(409, "version_conflict_engine_exception"), BulkItemClass::kAlreadyIndexed);
  for (const unsigned status : {408u, 429u, 500u, 503u, 404u}) {
    EXPECT_EQ(of(status), BulkItemClass::kRetry) << status;
  }
  EXPECT_EQ(of(401), BulkItemClass::kUnauthorized);
  EXPECT_EQ(of(403, "security_exception"), BulkItemClass::kUnauthorized);
  EXPECT_EQ(of(400, "mapper_parsing_exception"), BulkItemClass::kRefused);
  EXPECT_EQ(of(400, "illegal_argument_exception", "field [x] too long"), BulkItemClass::kRefused);
  EXPECT_EQ(of(400, "illegal_argument_exception", "pipeline with id [x] does not exist"),
            BulkItemClass::kMisconfigured);
  EXPECT_EQ(of(400, "index_closed_exception"), BulkItemClass::kMisconfigured);
  EXPECT_TRUE(bulk_request_refused_for_its_documents(
      R"({"error":{"type":"x_content_parse_exception","reason":"bad"},"status":400})"));
  EXPECT_FALSE(bulk_request_refused_for_its_documents(
      R"({"error":{"type":"illegal_argument_exception","reason":"pipeline"},"status":400})"));
  EXPECT_FALSE(bulk_request_refused_for_its_documents("<html>400</html>"));
}

}  // namespace
}  // namespace lc
