// The session registry through the real stack (SESSION_STORE=sqlite:<file>, one file for all
// the responders, SESSION_CHECK_SECONDS=1): a sign-in is recorded with its device and address;
// a sign-out ends the session, so a copy of the cookie taken before it is refused by every
// responder once the trust window has passed; a session ended in the registry by anyone (as
// the Security page will) is refused the same way; a validly signed cookie the registry never
// saw is refused at once.
#include <unistd.h>

#include <chrono>
#include <regex>
#include <thread>

#include "integration/browser.h"
#include "integration/stack.h"
#include "session/registry.h"
#include "session/session_cookie.h"
#include "session/sqlite_registry.h"

namespace userdesk::integration {
namespace {

const char kSessionCookie[] = "userdesk_session";
const auto kPastTrustWindow = std::chrono::milliseconds(1200);  // SESSION_CHECK_SECONDS=1

std::string RegistryPath() { return "/tmp/userdesk-registry-stack-" + std::to_string(::getpid()) + ".db"; }

class SessionRegistryStack : public DemoStackTest {
 protected:
  static void SetUpTestSuite() {
    for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((RegistryPath() + suffix).c_str());
    Stack::Options options;
    options.extra_env = {{"SESSION_STORE", "sqlite:" + RegistryPath()},
                         {"SESSION_CHECK_SECONDS", "1"}};
    StartStack(options);
  }
  static void TearDownTestSuite() {
    DemoStackTest::TearDownTestSuite();
    for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((RegistryPath() + suffix).c_str());
  }

  static std::string DemoId() {
    HttpResponse r = OktaApi("GET", "/api/v1/users/demo%40example.com");
    std::smatch m;
    std::regex_search(r.body, m, std::regex("\"id\":\"([^\"]+)\""));
    return m[1].str();
  }
  static std::unique_ptr<session::SqliteRegistry> Registry() {
    auto opened = session::SqliteRegistry::Open(RegistryPath());
    EXPECT_TRUE(opened.ok());
    return opened.ok() ? std::move(opened).value() : nullptr;
  }
  static std::string SignOutToken(Browser& b) {
    std::smatch m;
    std::string page = b.Get(stack_->Url("/logout")).body;
    return std::regex_search(page, m, std::regex("name=\"csrf\" value=\"([^\"]+)\"")) ? m[1].str()
                                                                                      : "";
  }
  // Every signed-in page refuses this cookie: the browser is sent to sign in.
  static void ExpectRefusedEverywhere(const std::string& cookie) {
    for (const char* page : {"/dashboard", "/profile"}) {
      Browser copy;
      copy.jar()[kSessionCookie] = cookie;
      HttpResponse r = copy.Get(stack_->Url(page));
      EXPECT_EQ(r.status, 302) << page << ": " << r.body;
      EXPECT_EQ(r.Header("Location").rfind("/login?returnTo=", 0), 0u) << page;
    }
    Browser copy;
    copy.jar()[kSessionCookie] = cookie;
    EXPECT_EQ(copy.Get(stack_->Url("/")).body.find("Signed in as"), std::string::npos);
  }
};

TEST_F(SessionRegistryStack, ASignInIsRecordedWithItsDeviceAndAddress) {
  Browser b;
  ASSERT_EQ(SignIn(b).status, 302);
  ASSERT_EQ(b.Get(stack_->Url("/dashboard")).status, 200);
  auto registry = Registry();
  ASSERT_NE(registry, nullptr);
  auto active = registry->ActiveOf(DemoId());
  ASSERT_TRUE(active.ok());
  ASSERT_FALSE(active->empty());
  const session::SessionRecord& newest = active->front();
  EXPECT_EQ(newest.address, "127.0.0.1");
  EXPECT_NE(newest.device.find(" on "), std::string::npos) << newest.device;
  EXPECT_GT(newest.created_at, 0);
  // the cookie holds the sid, the registry only its hash
  EXPECT_EQ(b.Value(kSessionCookie).find(newest.id), std::string::npos);
}

TEST_F(SessionRegistryStack, ACookieCopiedBeforeSignOutNoLongerGetsAnyPage) {
  Browser b;
  ASSERT_EQ(SignIn(b).status, 302);
  ASSERT_EQ(b.Get(stack_->Url("/dashboard")).status, 200);
  ASSERT_EQ(b.Get(stack_->Url("/profile")).status, 200);
  std::string copied = b.Value(kSessionCookie);
  ASSERT_FALSE(copied.empty());
  std::string csrf = SignOutToken(b);
  ASSERT_EQ(b.Post(stack_->Url("/logout"), "csrf=" + csrf, Origin()).status, 303);
  EXPECT_FALSE(b.Has(kSessionCookie));
  std::this_thread::sleep_for(kPastTrustWindow);
  ExpectRefusedEverywhere(copied);
}

TEST_F(SessionRegistryStack, ASessionEndedInTheRegistryIsRefusedByEveryResponder) {
  Browser b;
  ASSERT_EQ(SignIn(b).status, 302);
  ASSERT_EQ(b.Get(stack_->Url("/dashboard")).status, 200);
  auto registry = Registry();
  ASSERT_NE(registry, nullptr);
  auto ended = registry->EndAllOf(DemoId(), "", session::NowSeconds());
  ASSERT_TRUE(ended.ok());
  EXPECT_GE(*ended, 1);
  std::this_thread::sleep_for(kPastTrustWindow);
  ExpectRefusedEverywhere(b.Value(kSessionCookie));
}

TEST_F(SessionRegistryStack, ASignedCookieTheRegistryNeverSawIsRefused) {
  session::SessionCodec codec(session::CodecOptions{Env("APP_SECRET"), "", false, 60});
  int64_t now = session::NowSeconds();
  session::Session minted = codec.Start(DemoId(), "Demo User", "", now);  // valid MAC, no record
  ExpectRefusedEverywhere(codec.Encode(minted));
  minted.sid.clear();  // a cookie from before the registry was turned on
  ExpectRefusedEverywhere(codec.Encode(minted));
}

}  // namespace
}  // namespace userdesk::integration
