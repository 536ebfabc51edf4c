// A slow Okta through the real stack: requests that wait for mini-okta (its latencyMs fault)
// park without holding the dashboard's threads, so a user whose profile is cached is answered
// at once; past OKTA_MAX_CONCURRENT_CALLS a request gets the 503 page with Retry-After at once;
// one user's concurrent cold requests still make one read; and a reload while requests wait
// drops none of them. The responders run with 4 threads, so "3 x USERDESK_THREADS" is 12.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "integration/browser.h"
#include "integration/stack.h"
#include "json/json.h"
#include "session/session_cookie.h"
#include "support/wait.h"

namespace userdesk::integration {
namespace {

constexpr int kThreads = 4;
constexpr int kMaxWaiting = 20;
constexpr char kPassword[] = "Slow-Okta-Passw0rd";
using Clock = std::chrono::steady_clock;

class SlowOktaStack : public DemoStackTest {
 protected:
  static void SetUpTestSuite() {
    Stack::Options options;
    options.extra_env = {{"USERDESK_THREADS", std::to_string(kThreads)},
                         {"OKTA_MAX_CONCURRENT_CALLS", std::to_string(kMaxWaiting)}};
    StartStack(options);
  }
  void TearDown() override { Faults(R"({"latencyMs":0})"); }

  // A new ACTIVE user; its id.
  static std::string CreateUser(const std::string& login) {
    HttpResponse r = OktaApi("POST", "/api/v1/users?activate=true",
                             R"({"profile":{"login":")" + login + R"(","email":")" + login +
                                 R"(","firstName":"Slow","lastName":"Okta"},)" +
                                 R"("credentials":{"password":{"value":")" + kPassword + R"("}}})");
    EXPECT_EQ(r.status, 200) << r.body;
    auto doc = json::ParseObject(r.body);
    return doc ? json::GetString(*doc, "id").value_or("") : "";
  }

  // A browser holding a valid session of sub, made with the stack's APP_SECRET (what a sign-in
  // would leave; the sign-in itself is not what these tests are about).
  static Browser SignedInAs(const std::string& sub) {
    Browser b;
    b.jar()["userdesk_session"] = MintSession(sub, "Slow Okta", session::NowSeconds());
    return b;
  }

  // count new users, each signed in; their browsers.
  static std::vector<Browser> NewUsers(const std::string& prefix, int count) {
    std::vector<Browser> users;
    for (int i = 0; i < count; i++) {
      users.push_back(SignedInAs(CreateUser(prefix + std::to_string(i) + "@example.com")));
    }
    return users;
  }

  // GET path for each browser at once, each on its own thread; the statuses, once all answered.
  struct Wave {
    std::vector<std::thread> threads;
    std::vector<HttpResponse> answers;
    std::vector<Clock::duration> took;
    void Join() {
      for (auto& t : threads) t.join();
    }
  };
  static void Start(Wave* wave, std::vector<Browser>& browsers, const std::string& path) {
    wave->answers.resize(browsers.size());
    wave->took.resize(browsers.size());
    for (size_t i = 0; i < browsers.size(); i++) {
      wave->threads.emplace_back([wave, &browsers, i, path] {
        auto start = Clock::now();
        wave->answers[i] = browsers[i].Get(stack_->Url(path));
        wave->took[i] = Clock::now() - start;
      });
    }
  }

  static size_t UserReads(const std::string& id) {
    return Count(stack_->Log("mini-okta"), "GET /api/v1/users/" + id + " ");
  }
};

TEST_F(SlowOktaStack, ACachedUserIsAnsweredWhileThreeTimesTheThreadsWaitForOkta) {
  Browser cached = SignedInAs(CreateUser("cached.user@example.com"));
  ASSERT_EQ(cached.Get(stack_->Url("/dashboard")).status, 200);  // now in the cache
  std::vector<Browser> cold = NewUsers("cold.user", 3 * kThreads);

  Faults(R"({"latencyMs":2000})");
  Wave wave;
  Start(&wave, cold, "/dashboard");
  // Let the cold requests reach the dashboard and park (nothing observable marks the moment).
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  auto start = Clock::now();
  HttpResponse page = cached.Get(stack_->Url("/dashboard"));
  auto took = Clock::now() - start;
  wave.Join();

  EXPECT_EQ(page.status, 200) << page.body;
  EXPECT_LT(took, std::chrono::milliseconds(300))
      << "the cached page waited "
      << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
  for (size_t i = 0; i < cold.size(); i++) {
    EXPECT_EQ(wave.answers[i].status, 200) << "cold user " << i << ": " << wave.answers[i].body;
  }
}

TEST_F(SlowOktaStack, PastTheBoundAPageIsA503WithRetryAfterAtOnce) {
  std::vector<Browser> cold = NewUsers("past.bound", kMaxWaiting + 10);
  Faults(R"({"latencyMs":2000})");
  Wave wave;
  Start(&wave, cold, "/dashboard");
  wave.Join();

  int served = 0, refused = 0;
  for (size_t i = 0; i < cold.size(); i++) {
    const HttpResponse& r = wave.answers[i];
    if (r.status == 200) {
      served++;
    } else if (r.status == 503) {
      refused++;
      EXPECT_EQ(r.Header("Retry-After"), "2");
      EXPECT_TRUE(Contains(r.body, "too many requests are waiting for it")) << r.body;
      EXPECT_LT(wave.took[i], std::chrono::milliseconds(1500)) << "a refusal waited for Okta";
    } else {
      ADD_FAILURE() << "status " << r.status << ": " << r.body;
    }
  }
  EXPECT_EQ(served, kMaxWaiting);
  EXPECT_EQ(refused, 10);
}

TEST_F(SlowOktaStack, OneUsersConcurrentColdRequestsMakeOneRead) {
  std::string id = CreateUser("single.flight@example.com");
  std::vector<Browser> tabs;
  for (int i = 0; i < 8; i++) tabs.push_back(SignedInAs(id));
  Faults(R"({"latencyMs":1000})");
  Wave wave;
  Start(&wave, tabs, "/dashboard");
  wave.Join();
  for (const HttpResponse& r : wave.answers) EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(UserReads(id), 1u) << "eight parked requests of one user: one read of Okta";
}

TEST_F(SlowOktaStack, AReloadWhileRequestsWaitDropsNone) {
  std::vector<Browser> cold = NewUsers("reload.wait", 2 * kThreads);
  Faults(R"({"latencyMs":1500})");
  Wave wave;
  Start(&wave, cold, "/dashboard");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // parked by now
  int reloaded = 0;
  for (const auto& [name, pid] : stack_->Pids()) {
    if (name == "dashboard") reloaded += ::kill(pid, SIGHUP) == 0 ? 1 : 0;
  }
  wave.Join();
  EXPECT_EQ(reloaded, 1);
  for (const HttpResponse& r : wave.answers) EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(userdesk::testing::WaitUntil([] { return Contains(stack_->Log("dashboard"), "reloaded"); }));
}

}  // namespace
}  // namespace userdesk::integration
