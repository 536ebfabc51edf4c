// nginx's rate limit on sign-in, registration and password reset, through the real stack
// (nginx/dev.conf.in, as nginx/userdesk.conf in production): keyed by the client address on
// /login, /register, /reset-password and POST /security only, so they spend one bucket per client;
// over the limit nginx answers 429 with the app's static/errors/429.html. scripts/run.sh takes
// the rate and burst from USERDESK_SIGNIN_RATE and USERDESK_SIGNIN_BURST.
//
// Each test starts its own stack, so every test begins with an empty bucket, also when one
// process runs them all. /register and /reset-password belong to the account responder (issue
// 6); until it is built they fall through to home's 404 page. nginx answers 429 before any
// responder is asked, so the 429 checks hold either way, and a request within the limit is only
// checked not to be a 429.
#include <chrono>
#include <iterator>
#include <regex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "integration/stack.h"
#include "support/wait.h"

namespace userdesk::integration {
namespace {

// Production's rate, one request back every 6 s: far slower than a test's quick requests, so
// exactly kBurst + 1 of them pass.
const char kRate[] = "10r/m";
constexpr int kBurst = 3;
const char* const kLimitedPaths[] = {"/login", "/register", "/reset-password"};

Stack::Options LimitOptions(const std::string& rate, const std::string& burst) {
  Stack::Options options;
  options.extra_env = {{"USERDESK_SIGNIN_RATE", rate}, {"USERDESK_SIGNIN_BURST", burst}};
  return options;
}

HttpResponse GetFrom(const std::string& source_address, const std::string& url) {
  HttpRequest request;
  request.url = url;
  request.source_address = source_address;
  return Fetch(request);
}

// nginx's answer over the limit: 429 and the page file itself, as HTML.
void ExpectTooManyRequestsPage(const HttpResponse& r, const std::string& what) {
  EXPECT_EQ(r.status, 429) << what << " " << r.error;
  EXPECT_TRUE(Contains(r.body, "Too many requests")) << what << ": " << r.body;
  EXPECT_EQ(r.body, ReadFile(USERDESK_SOURCE_DIR "/static/errors/429.html")) << what;
  EXPECT_EQ(r.Header("Content-Type").rfind("text/html", 0), 0u)
      << what << ": " << r.Header("Content-Type");
  EXPECT_FALSE(r.Header("X-Request-Id").empty()) << what;
}

// kBurst + 1 quick requests to path, each within the limit; false if one was refused.
bool SpendTheBucket(const Stack& stack, const std::string& path) {
  bool all_passed = true;
  for (int i = 1; i <= kBurst + 1; i++) {
    HttpResponse r = Get(stack.Url(path));
    EXPECT_NE(r.status, 0) << path << ": " << r.error;
    EXPECT_NE(r.status, 429) << path << ": request " << i << " of " << kBurst + 1;
    all_passed = all_passed && r.status != 0 && r.status != 429;
  }
  return all_passed;
}

// kBurst + 1 requests to path pass, then every one is refused with the app's page, by nginx:
// the access log has the 429s with no upstream time ("-s"), so no responder was asked.
void ExpectTheBurstThenTooManyRequests(const Stack& stack, const std::string& path) {
  ASSERT_TRUE(SpendTheBucket(stack, path));
  for (int i = 0; i < 3; i++) ExpectTooManyRequestsPage(Get(stack.Url(path)), path);
  std::regex refused("\"GET " + path + " HTTP/1\\.1\" 429 [0-9]+ [0-9.]+ -s id=");
  std::string log;
  auto refused_lines = [&] {
    log = stack.Log("access");  // nginx writes each line after answering
    return std::distance(std::sregex_iterator(log.begin(), log.end(), refused),
                         std::sregex_iterator());
  };
  userdesk::testing::WaitUntil([&] { return refused_lines() >= 3; });
  EXPECT_EQ(refused_lines(), 3) << log;
}

class RateLimitStack : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(stack_.Start()); }
  Stack stack_{LimitOptions(kRate, std::to_string(kBurst))};
};

TEST_F(RateLimitStack, LoginPassesTheBurstThenAnswersTheAppsTooManyRequestsPage) {
  ExpectTheBurstThenTooManyRequests(stack_, "/login");
}

TEST_F(RateLimitStack, RegisterPassesTheBurstThenAnswersTheAppsTooManyRequestsPage) {
  ExpectTheBurstThenTooManyRequests(stack_, "/register");
}

TEST_F(RateLimitStack, ResetPasswordPassesTheBurstThenAnswersTheAppsTooManyRequestsPage) {
  ExpectTheBurstThenTooManyRequests(stack_, "/reset-password");
}

// What we observe: the zone's key is the client address alone (the path only decides whether
// there is a key), so /login, /register and /reset-password spend one bucket per client, as in
// production. A query string does not change the path either.
TEST_F(RateLimitStack, TheThreePathsShareOneBucketPerClient) {
  EXPECT_NE(Get(stack_.Url("/login")).status, 429);
  EXPECT_NE(Get(stack_.Url("/register")).status, 429);
  EXPECT_NE(Get(stack_.Url("/reset-password")).status, 429);
  EXPECT_NE(Get(stack_.Url("/login?returnTo=%2Fprofile")).status, 429);  // kBurst + 1 = 4
  for (const char* path : kLimitedPaths) ExpectTooManyRequestsPage(Get(stack_.Url(path)), path);
  ExpectTooManyRequestsPage(Get(stack_.Url("/register?email=a%40b.example")), "with a query");
}

TEST_F(RateLimitStack, OtherPathsAnswerAsUsualWhileTheClientIsLimited) {
  ASSERT_TRUE(SpendTheBucket(stack_, "/login"));
  ExpectTooManyRequestsPage(Get(stack_.Url("/login")), "/login");
  for (int i = 0; i < 2 * kBurst + 2; i++) {
    HttpResponse home = Get(stack_.Url("/"));
    EXPECT_EQ(home.status, 200) << "request " << i + 1;
  }
  EXPECT_EQ(Get(stack_.Url("/static/style.css")).status, 200);
  EXPECT_EQ(Get(stack_.Url("/static/errors/429.html")).status, 200);
  EXPECT_EQ(Get(stack_.Url("/dashboard")).status, 302) << "to sign-in, not refused";
  EXPECT_EQ(Get(stack_.Url("/no-such-page")).status, 404);
  EXPECT_EQ(Get(stack_.Url("/login/")).status, 404) << "not /login: home's 404, no key";
  ExpectTooManyRequestsPage(Get(stack_.Url("/login")), "/login afterwards");
}

// The Security page's posts (a password change is a guess at the current password; enough wrong
// ones lock the account in Okta) spend the same bucket; its GET, the list of sessions, does not.
// nginx refuses before the responder is asked, so no session is needed to see it: within the
// limit the responder refuses the cookie-less post itself (a 4xx that is not a 429).
TEST_F(RateLimitStack, SecurityPostsSpendTheBucketAndItsPageDoesNot) {
  for (int i = 0; i < 2 * kBurst + 2; i++) {
    EXPECT_EQ(Get(stack_.Url("/security")).status, 302) << "GET " << i + 1 << ": to sign-in";
  }
  for (int i = 1; i <= kBurst + 1; i++) {
    HttpResponse r = Post(stack_.Url("/security"), "action=end_all");
    EXPECT_GE(r.status, 400) << "post " << i << ": " << r.error;
    EXPECT_NE(r.status, 429) << "post " << i << " of " << kBurst + 1;
  }
  ExpectTooManyRequestsPage(Post(stack_.Url("/security"), "action=change_password"), "post");
  ExpectTooManyRequestsPage(Get(stack_.Url("/login")), "/login: the same bucket");
  EXPECT_EQ(Get(stack_.Url("/security")).status, 302) << "the page itself is still served";
}

// Another address on loopback is another client with its own bucket.
TEST_F(RateLimitStack, AnotherClientAddressHasItsOwnBucket) {
  ASSERT_TRUE(SpendTheBucket(stack_, "/login"));
  ExpectTooManyRequestsPage(Get(stack_.Url("/login")), "127.0.0.1");
  HttpResponse other = GetFrom("127.0.0.2", stack_.Url("/login"));
  ASSERT_NE(other.status, 0) << other.error;
  EXPECT_EQ(other.status, 302) << other.body;
  ExpectTooManyRequestsPage(Get(stack_.Url("/login")), "127.0.0.1 afterwards");
}

// The rate refills the bucket: at 1r/s with no burst (run.sh leaves out burst=, as nginx takes no
// burst=0), a second request within the second is refused and one 1.3 s later passes again.
// The counted requests are GET /register (the form, no identity-provider call, answered in
// milliseconds): a first /login waits for the provider's discovery document, which on a loaded
// machine can take longer than the second the next request must arrive within.
TEST(RateLimitRate, TheConfiguredRateRefillsTheBucket) {
  Stack stack(LimitOptions("1r/s", "0"));
  ASSERT_TRUE(stack.Start());
  EXPECT_EQ(Get(stack.Url("/register")).status, 200);
  ExpectTooManyRequestsPage(Get(stack.Url("/login")), "at once");
  std::this_thread::sleep_for(std::chrono::milliseconds(1300));
  EXPECT_EQ(Get(stack.Url("/register")).status, 200) << "1.3 s later";
  ExpectTooManyRequestsPage(Get(stack.Url("/login")), "at once again");
}

// Unset (empty), the launcher uses production's values: 10r/m and a burst of 20.
TEST(RateLimitRate, DefaultsAreProductionsValues) {
  Stack stack(LimitOptions("", ""));
  ASSERT_TRUE(stack.Start());
  std::string config = ReadFile(stack.StateDir() + "/nginx/nginx.conf");
  EXPECT_TRUE(Contains(config, "zone=userdesk_signin:10m rate=10r/m;")) << config;
  EXPECT_TRUE(Contains(config, "limit_req zone=userdesk_signin burst=20 nodelay;")) << config;
  for (int i = 1; i <= 21; i++) {
    HttpResponse r = Get(stack.Url("/login"));
    ASSERT_EQ(r.status, 302) << "request " << i << " of 21";
  }
  ExpectTooManyRequestsPage(Get(stack.Url("/login")), "request 22");
}

// A rate or burst nginx would not take makes the launcher fail at once, naming the variable.
TEST(RateLimitLauncher, ABadRateOrBurstFailsNamingTheVariable) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"USERDESK_SIGNIN_RATE", "10r/h"}, {"USERDESK_SIGNIN_RATE", "0r/s"},
      {"USERDESK_SIGNIN_RATE", "10"},    {"USERDESK_SIGNIN_RATE", "10r/m;"},
      {"USERDESK_SIGNIN_BURST", "-1"},   {"USERDESK_SIGNIN_BURST", "20 nodelay"},
  };
  for (const auto& [name, value] : bad) {
    Stack::Options options;
    options.extra_env = {{name, value}};
    options.start_timeout = std::chrono::seconds(15);
    Stack stack(options);
    EXPECT_FALSE(stack.Start()) << name << "=" << value;
    int status = stack.Stop();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0)
        << name << "=" << value << ": " << Stack::DescribeStatus(status);
    std::string output = stack.LauncherOutput();
    EXPECT_TRUE(Contains(output, name + " must be")) << output;
    EXPECT_TRUE(Contains(output, "got '" + value + "'")) << output;
    EXPECT_TRUE(stack.Pids().empty()) << output;
  }
}

}  // namespace
}  // namespace userdesk::integration
