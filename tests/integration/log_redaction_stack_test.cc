// The sign-in callback's code and state reach no log of the real stack: nginx's access log
// (nginx/dev.conf.in logs any query naming a code or a state as "?[redacted]", as
// nginx/userdesk.conf does), nginx's error log, and the log of every process under logs/.
// Whatever the spelling of the callback's path ("//", "%2F", "/./", "%61", ...: nginx resolves
// them all to the callback's location), and for the callback with the largest answer header
// the app makes (the longest display name and returnTo), which used to overflow nginx's FastCGI
// buffer: a 502, with the whole request line, code included, in error.log.
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "integration/browser.h"
#include "integration/stack.h"
#include "support/wait.h"

namespace userdesk::integration {
namespace {

class LogRedactionStack : public DemoStackTest {
 protected:
  // Every file under the run dir's logs/ (nginx's access and error logs, each process's
  // output), by file name.
  static std::map<std::string, std::string> Logs() {
    std::map<std::string, std::string> logs;
    for (const auto& entry : std::filesystem::directory_iterator(stack_->StateDir() + "/logs")) {
      if (entry.is_regular_file()) {
        logs[entry.path().filename().string()] = ReadFile(entry.path());
      }
    }
    return logs;
  }

  // nginx writes an access line after its answer: waits (bounded) for n lines in all.
  static bool WaitForAccessLines(size_t n) {
    return userdesk::testing::WaitUntil([n] { return Count(stack_->Log("access"), "\n") >= n; });
  }

  static void ExpectInNoLog(const std::vector<std::string>& secrets) {
    for (const auto& [name, text] : Logs()) {
      for (const std::string& secret : secrets) {
        EXPECT_FALSE(Contains(text, secret)) << "\"" << secret << "\" is in logs/" << name;
      }
    }
  }

  // The demo user's first and last name, through mini-okta's management API.
  static void RenameDemoUser(const std::string& first, const std::string& last) {
    HttpRequest r;
    r.method = "POST";
    r.url = stack_->MiniOktaUrl() + "/api/v1/users/demo@example.com";
    r.content_type = "application/json";
    r.headers = {"Authorization: SSWS " + Env("USER_PROFILE_TOKEN"), "Accept: application/json"};
    r.body = R"({"profile":{"firstName":")" + first + R"(","lastName":")" + last + R"("}})";
    HttpResponse answer = Fetch(r);
    ASSERT_EQ(answer.status, 200) << answer.body;
  }
};

TEST_F(LogRedactionStack, CodeAndStateReachNoLogWhateverThePathsSpelling) {
  Browser browser;
  SignInSteps s = StartSignIn(browser, *stack_, "demo@example.com", Trimmed(DemoPassword()));
  std::string code = QueryParam(s.callback, "code");
  std::string state = QueryParam(s.callback, "state");
  ASSERT_FALSE(code.empty()) << s.callback;
  ASSERT_FALSE(state.empty()) << s.callback;
  EXPECT_EQ(browser.Get(s.callback).status, 302);
  // The callback's own line, not just any two: the sign-in's earlier pages may be all there is
  // yet, and counting from there would let the last request below go unchecked.
  ASSERT_TRUE(userdesk::testing::WaitUntil([] {
    return Contains(stack_->Log("access"), "GET /authorization-code/callback?");
  })) << stack_->Log("access");
  size_t lines = Count(stack_->Log("access"), "\n");

  // The same callback, spelled otherwise, with a recognisable code and state each.
  const std::vector<std::string> requests = {
      "/authorization-code/callback?code=LogTestCode1&state=LogTestState1",
      "//authorization-code/callback?code=LogTestCode2&state=LogTestState2",
      "/%2Fauthorization-code/callback?code=LogTestCode3&state=LogTestState3",
      "/authorization-code%2Fcallback?code=LogTestCode4&state=LogTestState4",
      "/./authorization-code/callback?code=LogTestCode5&state=LogTestState5",
      "/x/../authorization-code/callback?code=LogTestCode6&state=LogTestState6",
      "/%61uthorization-code/callback?code=LogTestCode7&state=LogTestState7",
      "/AUTHORIZATION-CODE/callback?code=LogTestCode8&state=LogTestState8",
      "/authorization-code/callback/?code=LogTestCode9&state=LogTestState9",
      // parameter names the responders decode to code and state, or spell in capitals
      "/authorization-code/callback?%63ode=LogTestCode10&%73tate=LogTestState10",
      "/authorization-code/callback?x=1&CODE=LogTestCode11&State=LogTestState11",
      // a state alone (the provider's error answer carries one)
      "/authorization-code/callback?error=access_denied&state=LogTestState12",
  };
  for (const std::string& path : requests) {
    HttpRequest r;
    r.url = stack_->Url(path);
    r.path_as_is = true;
    HttpResponse answer = Fetch(r);
    EXPECT_NE(answer.status, 0) << path << ": " << answer.error;
    EXPECT_NE(answer.status / 100, 5) << path;
  }
  ASSERT_TRUE(WaitForAccessLines(lines + requests.size())) << stack_->Log("access");
  EXPECT_EQ(Count(stack_->Log("access"), "?[redacted] HTTP/1.1\""), requests.size() + 1)
      << stack_->Log("access");

  ExpectInNoLog({code, state, "LogTestCode", "LogTestState", "code=", "state=", "%63ode"});
  // Queries without a code or state are logged as they came.
  ASSERT_EQ(Get(stack_->Url("/?page=2&returnTo=%2Fprofile")).status, 200);
  ASSERT_TRUE(WaitForAccessLines(lines + requests.size() + 1));
  EXPECT_TRUE(Contains(stack_->Log("access"), "\"GET /?page=2&returnTo=%2Fprofile HTTP/1.1\""))
      << stack_->Log("access");
}

// The largest answer header of the app: the callback of a user whose name is 100 four-byte
// characters (the provider's longest first and last names), returning to the longest returnTo
// the app keeps. It must be answered (302, signed in), not cut off by nginx (502), and its code
// must be in no log.
TEST_F(LogRedactionStack, TheLargestCallbackAnswerIsServedAndItsCodeLoggedNowhere) {
  std::string fifty_emoji;
  for (int i = 0; i < 50; i++) fifty_emoji += "\xF0\x9F\x98\x80";  // U+1F600
  RenameDemoUser(fifty_emoji, fifty_emoji);
  std::string return_to = "/profile?x=" + std::string(1024 - 11, 'a');  // 1024 bytes

  Browser browser;
  SignInSteps s = StartSignIn(browser, *stack_, "demo@example.com", Trimmed(DemoPassword()),
                              "?returnTo=" + http::FormUrlEncode(return_to));
  std::string code = QueryParam(s.callback, "code");
  ASSERT_FALSE(code.empty()) << s.callback;
  HttpResponse callback = browser.Get(s.callback);
  EXPECT_EQ(callback.status, 302) << callback.body;
  EXPECT_FALSE(callback.SetCookie("userdesk_session").empty()) << "not signed in";
  // The callback's own line, not just any two: the sign-in's earlier pages may be all there is
  // yet, and counting from there would let the last request below go unchecked.
  ASSERT_TRUE(userdesk::testing::WaitUntil([] {
    return Contains(stack_->Log("access"), "GET /authorization-code/callback?");
  })) << stack_->Log("access");
  ExpectInNoLog({code, "code="});
}

}  // namespace
}  // namespace userdesk::integration
