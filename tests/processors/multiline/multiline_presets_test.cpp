#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "processors/multiline/multiline_joiner.hpp"

namespace lc::multiline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The records the lines make with these presets, the last one flushed.
std::vector<std::string> join_with(const std::vector<std::string>& presets,
                                   const std::vector<std::string>& lines) {
  RuleChoice choice;
  choice.presets = presets;
  MultilineJoiner joiner(MultilineRules::compile(choice), JoinLimits{});
  std::vector<LogRecord> records;
  for (const std::string& text : lines) {
    LogRecord line;
    line.message = text;
    joiner.push(std::move(line), MultilineJoiner::Clock::now(), records);
  }
  joiner.flush(records);
  std::vector<std::string> out;
  for (const LogRecord& record : records) out.push_back(record.message);
  return out;
}

std::string lines(std::initializer_list<const char*> parts) {
  std::string text;
  for (const char* part : parts) text += (text.empty() ? "" : "\n") + std::string(part);
  return text;
}

TEST(MultilinePresetsTest, JavaJoinsFramesCausesAndOmittedFrames) {
  const std::vector<std::string> trace = {
      "java.lang.IllegalStateException: boom",
      "\tat com.shop.Cart.add(Cart.java:42)",
      "\tat com.shop.Api.post(Api.java:7)",
      "Caused by: java.io.IOException: disk full",
      "\tat java.io.FileOutputStream.write(FileOutputStream.java:1)",
      "\t... 2 more",
      "Suppressed: java.lang.RuntimeException: close",
      "\t... 3 common frames omitted",
  };
  std::vector<std::string> input = {"2024-05-01 ERROR request failed"};
  input.insert(input.end(), trace.begin(), trace.end());
  input.push_back("2024-05-01 INFO next");
  std::string whole;
  for (const std::string& line : trace) whole += (whole.empty() ? "" : "\n") + line;
  EXPECT_THAT(join_with({"java"}, input),
              ElementsAre("2024-05-01 ERROR request failed", whole, "2024-05-01 INFO next"));
}

TEST(MultilinePresetsTest, JavaDoesNotJoinOrdinaryIndentedLines) {
  // An indented line after a line without an exception is a record of its own.
  EXPECT_THAT(join_with({"java"}, {"config:", "\tat startup: yes"}),
              ElementsAre("config:", "\tat startup: yes"));
}

TEST(MultilinePresetsTest, PythonJoinsATracebackUpToItsExceptionLine) {
  EXPECT_THAT(join_with({"python"}, {"INFO starting", "Traceback (most recent call last):",
                                     "  File \"/app/main.py\", line 10, in <module>", "    main()",
                                     "    ~~~~^^", "  File \"/app/main.py\", line 6, in main",
                                     "    raise ValueError(\"bad input\")", "ValueError: bad input",
                                     "INFO next"}),
              ElementsAre("INFO starting",
                          lines({"Traceback (most recent call last):",
                                 "  File \"/app/main.py\", line 10, in <module>", "    main()",
                                 "    ~~~~^^", "  File \"/app/main.py\", line 6, in main",
                                 "    raise ValueError(\"bad input\")", "ValueError: bad input"}),
                          "INFO next"));
}

TEST(MultilinePresetsTest, GoJoinsAPanicWithEveryGoroutine) {
  EXPECT_THAT(
      join_with({"go"},
                {"panic: runtime error: index out of range [3] with length 2", "",
                 "goroutine 1 [running]:", "main.lookup(...)", "\t/app/main.go:12", "main.main()",
                 "\t/app/main.go:7 +0x1d", "", "goroutine 6 [sleep]:", "time.Sleep(0x3b9aca00)",
                 "\t/usr/lib/go/src/runtime/time.go:195", "exit status 2"}),
      ElementsAre(lines({"panic: runtime error: index out of range [3] with length 2", "",
                         "goroutine 1 [running]:", "main.lookup(...)", "\t/app/main.go:12",
                         "main.main()", "\t/app/main.go:7 +0x1d", "", "goroutine 6 [sleep]:",
                         "time.Sleep(0x3b9aca00)", "\t/usr/lib/go/src/runtime/time.go:195"}),
                  "exit status 2"));
}

TEST(MultilinePresetsTest, RubyJoinsFromLines) {
  EXPECT_THAT(join_with({"ruby"}, {"app.rb:2:in `divide': divided by 0 (ZeroDivisionError)",
                                   "\tfrom app.rb:6:in `<main>'", "done"}),
              ElementsAre(lines({"app.rb:2:in `divide': divided by 0 (ZeroDivisionError)",
                                 "\tfrom app.rb:6:in `<main>'"}),
                          "done"));
}

TEST(MultilinePresetsTest, DotnetJoinsFramesAndInnerExceptions) {
  EXPECT_THAT(
      join_with({"dotnet"}, {"Unhandled exception. System.InvalidOperationException: boom",
                             " ---> System.IO.IOException: disk",
                             "   at Shop.Store.Save() in /app/Store.cs:line 9",
                             "   --- End of inner exception stack trace ---",
                             "   at Shop.Program.Main() in /app/Program.cs:line 5", "info: next"}),
      ElementsAre(lines({"Unhandled exception. System.InvalidOperationException: boom",
                         " ---> System.IO.IOException: disk",
                         "   at Shop.Store.Save() in /app/Store.cs:line 9",
                         "   --- End of inner exception stack trace ---",
                         "   at Shop.Program.Main() in /app/Program.cs:line 5"}),
                  "info: next"));
}

TEST(MultilinePresetsTest, SeveralPresetsAtOnceEachContinueTheirOwnGroups) {
  EXPECT_THAT(
      join_with({"java", "python"},
                {"java.lang.Error: x", "\tat a.b(C.java:1)", "Traceback (most recent call last):",
                 "  File \"x.py\", line 1, in <module>", "    f()", "KeyError: 'k'"}),
      ElementsAre("java.lang.Error: x\n\tat a.b(C.java:1)",
                  lines({"Traceback (most recent call last):",
                         "  File \"x.py\", line 1, in <module>", "    f()", "KeyError: 'k'"})));
}

TEST(MultilineRulesTest, RefusesAnUnknownPresetABadPatternAndNothing) {
  RuleChoice choice;
  choice.presets = {"cobol"};
  try {
    MultilineRules::compile(choice);
    FAIL() << "an unknown preset was accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_THAT(error.what(), HasSubstr("cobol"));
    EXPECT_THAT(error.what(), HasSubstr("java, python, go, ruby, dotnet"));
  }
  choice.presets.clear();
  choice.start = "([unclosed";
  EXPECT_THROW(MultilineRules::compile(choice), std::invalid_argument);
  choice.start = "(?=lookahead)";
  EXPECT_THROW(MultilineRules::compile(choice), std::invalid_argument);
  EXPECT_THROW(MultilineRules::compile(RuleChoice{}), std::invalid_argument);
}

}  // namespace
}  // namespace lc::multiline
