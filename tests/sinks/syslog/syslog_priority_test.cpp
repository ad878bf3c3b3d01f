// Syslog facilities and severities: their names and numbers, and the severity of a level field.
#include "sinks/syslog/syslog_priority.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

namespace lc {
namespace {

using Priority = std::optional<std::uint8_t>;

TEST(SyslogPriorityTest, FacilitiesByNameInAnyCase) {
  EXPECT_EQ(syslog_facility_of("kern"), Priority(0));
  EXPECT_EQ(syslog_facility_of("user"), Priority(1));
  EXPECT_EQ(syslog_facility_of("daemon"), Priority(3));
  EXPECT_EQ(syslog_facility_of("auth"), Priority(4));
  EXPECT_EQ(syslog_facility_of("authpriv"), Priority(10));
  EXPECT_EQ(syslog_facility_of("local0"), Priority(16));
  EXPECT_EQ(syslog_facility_of("local3"), Priority(19));
  EXPECT_EQ(syslog_facility_of("LOCAL3"), Priority(19));
  EXPECT_EQ(syslog_facility_of("Local7"), Priority(23));
  EXPECT_EQ(syslog_facility_of("local8"), std::nullopt);
  EXPECT_EQ(syslog_facility_of("users"), std::nullopt);
  EXPECT_EQ(syslog_facility_of(""), std::nullopt);
}

TEST(SyslogPriorityTest, FacilitiesByNumberFromZeroToTwentyThree) {
  for (unsigned number = 0; number <= 23; ++number) {
    EXPECT_EQ(syslog_facility_of(std::to_string(number)),
              Priority(static_cast<std::uint8_t>(number)))
        << number;
  }
  EXPECT_EQ(syslog_facility_of("24"), std::nullopt);
  EXPECT_EQ(syslog_facility_of("-1"), std::nullopt);
  EXPECT_EQ(syslog_facility_of("1x"), std::nullopt);
  EXPECT_EQ(syslog_facility_of(" 1"), std::nullopt);
  EXPECT_EQ(syslog_facility_of("99999999999999999999"), std::nullopt);
}

TEST(SyslogPriorityTest, SeveritiesByNameInAnyCase) {
  EXPECT_EQ(syslog_severity_of("emerg"), Priority(0));
  EXPECT_EQ(syslog_severity_of("panic"), Priority(0));
  EXPECT_EQ(syslog_severity_of("alert"), Priority(1));
  EXPECT_EQ(syslog_severity_of("crit"), Priority(2));
  EXPECT_EQ(syslog_severity_of("err"), Priority(3));
  EXPECT_EQ(syslog_severity_of("ERR"), Priority(3));
  EXPECT_EQ(syslog_severity_of("error"), Priority(3));
  EXPECT_EQ(syslog_severity_of("warning"), Priority(4));
  EXPECT_EQ(syslog_severity_of("Warning"), Priority(4));
  EXPECT_EQ(syslog_severity_of("warn"), Priority(4));
  EXPECT_EQ(syslog_severity_of("notice"), Priority(5));
  EXPECT_EQ(syslog_severity_of("info"), Priority(6));
  EXPECT_EQ(syslog_severity_of("debug"), Priority(7));
  EXPECT_EQ(syslog_severity_of("trace"), std::nullopt);
  EXPECT_EQ(syslog_severity_of("fatal"), std::nullopt);
  EXPECT_EQ(syslog_severity_of(""), std::nullopt);
}

TEST(SyslogPriorityTest, SeveritiesByNumberFromZeroToSeven) {
  for (unsigned number = 0; number <= 7; ++number) {
    EXPECT_EQ(syslog_severity_of(std::to_string(number)),
              Priority(static_cast<std::uint8_t>(number)))
        << number;
  }
  EXPECT_EQ(syslog_severity_of("8"), std::nullopt);
  EXPECT_EQ(syslog_severity_of("-1"), std::nullopt);
  EXPECT_EQ(syslog_severity_of("3.0"), std::nullopt);
}

TEST(SyslogPriorityTest, LevelWordsGiveTheirSeverity) {
  EXPECT_EQ(syslog_severity_of_level(FieldValue("crit")), Priority(2));
  EXPECT_EQ(syslog_severity_of_level(FieldValue("fatal")), Priority(2));
  EXPECT_EQ(syslog_severity_of_level(FieldValue("FATAL")), Priority(2));
  EXPECT_EQ(syslog_severity_of_level(FieldValue("error")), Priority(3));
  EXPECT_EQ(syslog_severity_of_level(FieldValue("warn")), Priority(4));
  EXPECT_EQ(syslog_severity_of_level(FieldValue("WARNING")), Priority(4));
  EXPECT_EQ(syslog_severity_of_level(FieldValue("notice")), Priority(5));
  EXPECT_EQ(syslog_severity_of_level(FieldValue("info")), Priority(6));
  EXPECT_EQ(syslog_severity_of_level(FieldValue("debug")), Priority(7));
  EXPECT_EQ(syslog_severity_of_level(FieldValue("trace")), Priority(7));
}

TEST(SyslogPriorityTest, LevelNumbersAreSyslogsOrBunyans) {
  for (int number = 0; number <= 7; ++number) {
    EXPECT_EQ(syslog_severity_of_level(FieldValue(number)),
              Priority(static_cast<std::uint8_t>(number)))
        << number;
  }
  EXPECT_EQ(syslog_severity_of_level(FieldValue("5")), Priority(5));
  // Bunyan and Pino: 10 trace ... 60 fatal.
  EXPECT_EQ(syslog_severity_of_level(FieldValue(10)), Priority(7));
  EXPECT_EQ(syslog_severity_of_level(FieldValue(30)), Priority(6));
  EXPECT_EQ(syslog_severity_of_level(FieldValue(40)), Priority(4));
  EXPECT_EQ(syslog_severity_of_level(FieldValue(50)), Priority(3));
  EXPECT_EQ(syslog_severity_of_level(FieldValue("50")), Priority(3));
  EXPECT_EQ(syslog_severity_of_level(FieldValue(60)), Priority(2));
  EXPECT_EQ(syslog_severity_of_level(FieldValue(50.0)), Priority(3));
}

TEST(SyslogPriorityTest, ValuesThatAreNoLevelGiveNone) {
  EXPECT_EQ(syslog_severity_of_level(FieldValue("hello")), std::nullopt);
  EXPECT_EQ(syslog_severity_of_level(FieldValue("")), std::nullopt);
  EXPECT_EQ(syslog_severity_of_level(FieldValue(8)), std::nullopt);
  EXPECT_EQ(syslog_severity_of_level(FieldValue(-1)), std::nullopt);
  EXPECT_EQ(syslog_severity_of_level(FieldValue(55)), std::nullopt);
  EXPECT_EQ(syslog_severity_of_level(FieldValue(70)), std::nullopt);
  EXPECT_EQ(syslog_severity_of_level(FieldValue(2.5)), std::nullopt);
  EXPECT_EQ(syslog_severity_of_level(FieldValue(true)), std::nullopt);
  EXPECT_EQ(syslog_severity_of_level(FieldValue()), std::nullopt);
  EXPECT_EQ(syslog_severity_of_level(FieldValue(FieldValue::Map{{"level", "error"}})),
            std::nullopt);
}

}  // namespace
}  // namespace lc
