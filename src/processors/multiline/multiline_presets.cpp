#include "processors/multiline/multiline_presets.hpp"

#include <map>

namespace lc::multiline {

namespace {

// Java (and the JVM languages): "java.lang.IllegalStateException: boom", then "\tat" frames,
// "Caused by:" / "Suppressed:" with their own frames, "... 12 more".
std::vector<RuleText> java_rules() {
  enum : int { kAfterException = 1, kFrames = 2 };
  const std::string exception = R"((?:Exception|Error|Throwable)(?::|$))";
  return {
      {kStartState, exception, kAfterException},
      {kAfterException, R"(^[\t ]*nested exception is:)", kAfterException},
      {kAfterException, R"(^[\t ]+(?:eval )?at )", kFrames},
      {kFrames, R"(^[\t ]+(?:eval )?at )", kFrames},
      {kAfterException, R"(^[\t ]*(?:Caused by|Suppressed):)", kAfterException},
      {kFrames, R"(^[\t ]*(?:Caused by|Suppressed):)", kAfterException},
      {kAfterException, R"(^[\t ]*\.\.\. \d+ (?:more|common frames omitted))", kFrames},
      {kFrames, R"(^[\t ]*\.\.\. \d+ (?:more|common frames omitted))", kFrames},
  };
}

// Python: "Traceback (most recent call last):", "  File ..." lines each followed by a code
// line, and the exception line that ends it ("ValueError: bad").
std::vector<RuleText> python_rules() {
  enum : int { kTraceback = 1, kCode = 2 };
  return {
      {kStartState, R"(^Traceback \(most recent call last\):$)", kTraceback},
      {kTraceback, R"(^[\t ]+File )", kCode},
      {kCode, R"(^[\t ]+File )", kCode},
      {kCode, R"(^[\t ]+\S)", kTraceback},
      {kTraceback, R"(^[\t ]+[~^]+[\t ~^]*$)", kTraceback},  // 3.11's markers under the code
      {kTraceback, R"(^(?:[^\s.():]+\.)*[^\s.():]+(?::|$))", kClosed},
      {kCode, R"(^(?:[^\s.():]+\.)*[^\s.():]+(?::|$))", kClosed},
  };
}

// Go: "panic: boom" (or "fatal error:"), a blank line, "goroutine 1 [running]:", then pairs of
// a function line and a tab-indented file line, with blank lines between goroutines.
std::vector<RuleText> go_rules() {
  enum : int { kAfterPanic = 1, kGoroutine = 2, kFunction = 3, kFile = 4, kSignal = 5 };
  const std::string goroutine = R"(^goroutine \d+ \[[^\]]+\]:$)";
  const std::string function = R"(^(?:[^\s.:]+\.)*[^\s.():]+\(|^created by )";
  return {
      {kStartState, R"(\bpanic: |^fatal error: )", kAfterPanic},
      {kStartState, R"(http: panic serving)", kGoroutine},
      {kAfterPanic, R"(^\[signal )", kSignal},
      {kAfterPanic, R"(^$)", kGoroutine},
      {kSignal, R"(^$)", kGoroutine},
      {kAfterPanic, goroutine, kFunction},
      {kGoroutine, goroutine, kFunction},
      {kFunction, function, kFile},
      {kFile, R"(^\s)", kFunction},
      {kFunction, R"(^$)", kGoroutine},
  };
}

// Ruby: "app.rb:2:in `foo': boom (RuntimeError)" then "\tfrom app.rb:5:in `<main>'" lines, and
// Rails' "ActionView::Template::Error (boom):" then indented frames.
std::vector<RuleText> ruby_rules() {
  enum : int { kFrom = 1, kRails = 2 };
  return {
      {kStartState, R"(\.rb:\d+:in [`'].*\([A-Z][\w:]*\)$)", kFrom},
      {kFrom, R"(^[\t ]+from )", kFrom},
      {kStartState, R"(Error \(.*\):$)", kRails},
      {kRails, R"(^  $)", kRails},
      {kRails, R"(^[\t ]+.*?\.rb:\d+:in [`'])", kRails},
  };
}

// .NET: "System.InvalidOperationException: boom" (or "Unhandled exception. ..."), "   at"
// frames, " ---> " inner exceptions and "--- End of ... ---" separators.
std::vector<RuleText> dotnet_rules() {
  enum : int { kFrames = 1 };
  const std::string continuation =
      R"(^[\t ]+at |^[\t ]*---> |^[\t ]*--- End of |^[\t ]*(?:Exception|Error) rethrown at)";
  return {
      {kStartState, R"(^(?:Unhandled [Ee]xception\. )?[\w.]+(?:Exception|Error)(?::|$))", kFrames},
      {kFrames, continuation, kFrames},
  };
}

const std::map<std::string, std::vector<RuleText>, std::less<>>& presets() {
  static const std::map<std::string, std::vector<RuleText>, std::less<>> all{
      {"java", java_rules()}, {"python", python_rules()}, {"go", go_rules()},
      {"ruby", ruby_rules()}, {"dotnet", dotnet_rules()},
  };
  return all;
}

}  // namespace

const std::vector<RuleText>& preset_rules(std::string_view name) {
  static const std::vector<RuleText> none;
  const auto found = presets().find(name);
  return found == presets().end() ? none : found->second;
}

std::string preset_names() { return "java, python, go, ruby, dotnet"; }

}  // namespace lc::multiline
