#include "sinks/common/http_response_class.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace lc {
namespace {

using Class = HttpResponseClass;

TEST(HttpResponseClass, EveryStatusHasOneClass) {
  struct Case {
    unsigned status;
    Class without_validation;  // the body is not the backend's validation message
    Class with_validation;
  };
  for (const Case& c : {
           Case{200, Class::kDelivered, Class::kDelivered},
           Case{204, Class::kDelivered, Class::kDelivered},
           Case{401, Class::kUnauthorized, Class::kUnauthorized},
           Case{403, Class::kUnauthorized, Class::kUnauthorized},
           Case{407, Class::kUnauthorized, Class::kUnauthorized},
           Case{408, Class::kTransient, Class::kTransient},
           Case{429, Class::kTransient, Class::kTransient},
           Case{500, Class::kTransient, Class::kTransient},
           Case{502, Class::kTransient, Class::kTransient},
           Case{599, Class::kTransient, Class::kTransient},
           Case{413, Class::kTooLarge, Class::kTooLarge},
           Case{400, Class::kUnexpected, Class::kRecordsRefused},
           Case{422, Class::kUnexpected, Class::kRecordsRefused},
           Case{404, Class::kUnexpected, Class::kRecordsRefused},
           Case{405, Class::kUnexpected, Class::kRecordsRefused},
           Case{421, Class::kUnexpected, Class::kRecordsRefused},
           // Not an error status: never the records' fault, whatever the body.
           Case{101, Class::kUnexpected, Class::kUnexpected},
           Case{302, Class::kUnexpected, Class::kUnexpected},
           Case{0, Class::kUnexpected, Class::kUnexpected},
       }) {
    EXPECT_EQ(classify_http_response(c.status, false), c.without_validation) << c.status;
    EXPECT_EQ(classify_http_response(c.status, true), c.with_validation) << c.status;
  }
}

TEST(HttpResponseClass, NamesAreDistinct) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kHttpResponseClassCount; ++i) {
    names.insert(to_string(static_cast<HttpResponseClass>(i)));
  }
  EXPECT_EQ(names.size(), kHttpResponseClassCount);
  EXPECT_FALSE(names.contains("unknown"));
}

}  // namespace
}  // namespace lc
