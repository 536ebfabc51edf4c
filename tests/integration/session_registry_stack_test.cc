// The session registry through the real stack (its default store, sessions.db in the run dir,
// one file for all the responders; SESSION_CHECK_SECONDS=1): a sign-in is recorded with its device and address;
// a sign-out ends the session, so a copy of the cookie taken before it is refused by every
// responder once the trust window has passed; a session ended in the registry is refused the
// same way; a validly signed cookie the registry never saw is refused at once; and the Security
// page lists the sessions and ends another one or all the others, only with its form's token,
// from the same origin, and only the poster's own.
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <thread>

#include "integration/browser.h"
#include "integration/stack.h"
#include "session/registry.h"
#include "session/session_cookie.h"
#include "session/sqlite_registry.h"
#include "support/wait.h"

namespace userdesk::integration {
namespace {

const char kSessionCookie[] = "userdesk_session";
const auto kPastTrustWindow = std::chrono::milliseconds(1200);  // SESSION_CHECK_SECONDS=1

class SessionRegistryStack : public DemoStackTest {
 protected:
  static void SetUpTestSuite() {
    Stack::Options options;
    options.extra_env = {{"SESSION_CHECK_SECONDS", "1"}};
    StartStack(options);
  }

  static std::string DemoId() {
    HttpResponse r = OktaApi("GET", "/api/v1/users/demo%40example.com");
    std::smatch m;
    std::regex_search(r.body, m, std::regex("\"id\":\"([^\"]+)\""));
    return m[1].str();
  }
  static std::string SignOutToken(Browser& b) {
    std::smatch m;
    std::string page = b.Get(stack_->Url("/logout")).body;
    return std::regex_search(page, m, std::regex("name=\"csrf\" value=\"([^\"]+)\"")) ? m[1].str()
                                                                                      : "";
  }
  static void SignInAndOpenTheDashboard(Browser& b) {
    ASSERT_EQ(SignIn(b).status, 302);
    ASSERT_EQ(b.Get(stack_->Url("/dashboard")).status, 200);
  }
  // The sid inside a browser's session cookie (the cookie is signed, not encrypted).
  static std::string SessionIdOf(Browser& b) {
    session::SessionCodec codec(session::CodecOptions{Env("APP_SECRET"), "", false, 60});
    auto decoded = codec.Decode(b.Value(kSessionCookie), session::NowSeconds());
    return decoded ? decoded->sid : "";
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
  // The password form's post, with the page's token.
  static HttpResponse ChangePassword(Browser& b, const std::string& old_password,
                              const std::string& new_password, const std::string& confirmation,
                              bool end_others) {
    std::string csrf = InputValue(b.Get(stack_->Url("/security")).body, "csrf");
    return b.Post(stack_->Url("/security"),
                  "csrf=" + csrf + "&action=change_password&oldPassword=" +
                      http::FormUrlEncode(old_password) + "&newPassword=" +
                      http::FormUrlEncode(new_password) + "&confirmPassword=" +
                      http::FormUrlEncode(confirmation) + (end_others ? "&end_others=1" : ""),
                  Origin());
  }
};

TEST_F(SessionRegistryStack, ASignInIsRecordedWithItsDeviceAndAddress) {
  Browser b;
  ASSERT_NO_FATAL_FAILURE(SignInAndOpenTheDashboard(b));
  auto registry = Registry();
  ASSERT_NE(registry, nullptr);
  auto active = registry->ActiveOf(DemoId());
  ASSERT_TRUE(active.ok());
  ASSERT_FALSE(active->empty());
  const session::SessionRecord& newest = active->front();
  EXPECT_EQ(newest.address, "127.0.0.1");
  EXPECT_NE(newest.device.find(" on "), std::string::npos) << newest.device;
  EXPECT_GT(newest.created_at, 0);
  EXPECT_FALSE(newest.provider_sid.empty()) << "the ID token's sid: the Okta session it rode on";
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
  ASSERT_NO_FATAL_FAILURE(SignInAndOpenTheDashboard(b));
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

// The store broken under running responders (the table renamed away by another connection, as
// an operator's mistake or a damaged file would leave it): every read fails, so the chosen
// behaviour, fail closed, shows. Once its trust window has passed, a signed-in browser gets a
// clear 503 ("try again", Retry-After) and keeps its cookie, a profile save gets its form back
// with what was typed, a new sign-in gets the 503 and no session; each responder logs the
// store's failure at warn, nothing crashes. Put back, the same cookie is honoured again (it was
// never ended) and signing in works.
TEST_F(SessionRegistryStack, TheStoreBrokenRefusesEverySessionClearlyAndRecovers) {
  Browser a;
  ASSERT_NO_FATAL_FAILURE(SignInAndOpenTheDashboard(a));
  auto pids_before = stack_->Pids();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((stack_->StateDir() + "/sessions.db").c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 2000);
  auto exec = [&](const char* sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
    std::string text = message != nullptr ? message : "";
    sqlite3_free(message);
    return rc == SQLITE_OK ? std::string() : text + " (" + sql + ")";
  };
  ASSERT_EQ(exec("ALTER TABLE sessions RENAME TO sessions_away"), "");
  std::this_thread::sleep_for(kPastTrustWindow);

  auto expect_clear_503 = [](const HttpResponse& r, const std::string& what) {
    EXPECT_EQ(r.status, 503) << what << ": " << r.body;
    EXPECT_TRUE(Contains(r.body, "Sessions are unavailable")) << what << ": " << r.body;
    EXPECT_EQ(r.Header("Retry-After"), "5") << what;
    for (const char* internal : {"sqlite", "sessions.db", "no such table", "registry"}) {
      EXPECT_FALSE(Contains(r.body, internal)) << what << " shows " << internal << ": " << r.body;
    }
  };
  for (const char* page : {"/dashboard", "/profile", "/security"}) {
    HttpResponse r = a.Get(stack_->Url(page));
    expect_clear_503(r, page);
    EXPECT_TRUE(Contains(r.body, "href=\"" + std::string(page) + "\"")) << "try again: " << r.body;
    EXPECT_TRUE(a.Has(kSessionCookie)) << page << ": the cookie is kept, the session may be fine";
  }
  // a profile save meanwhile: the form again with what was typed, nothing saved
  HttpResponse save = a.Post(stack_->Url("/profile"), "csrf=x&firstName=Kept%20Name", Origin());
  EXPECT_EQ(save.status, 503) << save.body;
  EXPECT_TRUE(Contains(save.body, "value=\"Kept Name\"")) << save.body;
  EXPECT_TRUE(Contains(save.body, "nothing was saved")) << save.body;
  const char kCounted[] = "userdesk_sign_in_failures_total{reason=\"sessions_unavailable\"} 1\n";
  EXPECT_FALSE(Contains(Get(stack_->Url("/-/metrics/auth")).body, kCounted));
  Browser b;
  HttpResponse signin = SignIn(b);
  expect_clear_503(signin, "sign-in");
  EXPECT_FALSE(b.Has(kSessionCookie)) << "no session that could not be recorded";
  EXPECT_TRUE(Contains(Get(stack_->Url("/-/metrics/auth")).body, kCounted))
      << "the operator's count of sign-ins the store refused";
  for (const char* name : {"dashboard", "auth"}) {
    std::string log;
    EXPECT_TRUE(userdesk::testing::WaitUntil([&] {
      log = stack_->Log(name);
      return Contains(log, "session registry") && Contains(log, "no such table");
    })) << name << ": " << log;
  }

  ASSERT_EQ(exec("ALTER TABLE sessions_away RENAME TO sessions"), "");
  sqlite3_close(db);
  EXPECT_EQ(a.Get(stack_->Url("/dashboard")).status, 200) << "the session was never ended";
  Browser c;
  ASSERT_NO_FATAL_FAILURE(SignInAndOpenTheDashboard(c));
  EXPECT_EQ(stack_->Pids(), pids_before) << "no responder was restarted";
}

// The Security page as two browsers see it: each is listed once, "this browser" marks its own,
// and ending the other one (or all the others) signs that one out and leaves this one.
TEST_F(SessionRegistryStack, TheSecurityPageListsSessionsAndEndsTheOtherOne) {
  Browser a, b;
  ASSERT_EQ(SignIn(a).status, 302);
  ASSERT_EQ(SignIn(b).status, 302);
  HttpResponse page = a.Get(stack_->Url("/security"));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("(this browser)"), std::string::npos) << page.body;
  std::string b_id = session::RecordId(SessionIdOf(b));
  ASSERT_NE(page.body.find("value=\"" + b_id + "\""), std::string::npos) << page.body;
  std::string own_id = session::RecordId(SessionIdOf(a));
  EXPECT_EQ(page.body.find("name=\"id\" value=\"" + own_id + "\""), std::string::npos)
      << "no Sign out button for this browser's own session";
  std::string csrf = InputValue(page.body, "csrf");
  HttpResponse ended =
      a.Post(stack_->Url("/security"), "csrf=" + csrf + "&action=end&id=" + b_id, Origin());
  ASSERT_EQ(ended.status, 303) << ended.body;
  EXPECT_EQ(ended.Header("Location"), "/security?ended=1");
  EXPECT_NE(a.Get(stack_->Url("/security?ended=1")).body.find("Signed out of 1 other session."),
            std::string::npos);
  std::this_thread::sleep_for(kPastTrustWindow);
  HttpResponse sent = b.Get(stack_->Url("/dashboard"));
  EXPECT_EQ(sent.status, 302) << "the ended browser is signed out";
  // and its Okta session with it: no single sign-on back in, the provider asks for the password
  HttpResponse login = b.Get(stack_->Url(sent.Header("Location")));
  ASSERT_EQ(login.status, 302);
  EXPECT_EQ(b.Get(login.Header("Location")).status, 200) << "mini-okta's form";
  EXPECT_EQ(a.Get(stack_->Url("/dashboard")).status, 200) << "this browser goes on";
}

TEST_F(SessionRegistryStack, SignOutEverywhereElseLeavesOnlyThisBrowser) {
  Browser a, b, c;
  for (Browser* browser : {&a, &b, &c}) ASSERT_EQ(SignIn(*browser).status, 302);
  std::string csrf = InputValue(a.Get(stack_->Url("/security")).body, "csrf");
  HttpResponse ended = a.Post(stack_->Url("/security"), "csrf=" + csrf + "&action=end_others", Origin());
  ASSERT_EQ(ended.status, 303) << ended.body;
  std::this_thread::sleep_for(kPastTrustWindow);
  EXPECT_EQ(b.Get(stack_->Url("/dashboard")).status, 302);
  EXPECT_EQ(c.Get(stack_->Url("/dashboard")).status, 302);
  HttpResponse left = a.Get(stack_->Url("/security"));
  EXPECT_EQ(left.status, 200);
  EXPECT_EQ(left.body.find("Sign out everywhere else"), std::string::npos) << "no other session";
}

// A forged post (no token, or from another origin) ends nothing; neither does a record id that
// is not one of the poster's own sessions.
TEST_F(SessionRegistryStack, TheSecurityFormsNeedTheTokenTheOriginAndOwnSessions) {
  Browser a, b;
  ASSERT_EQ(SignIn(a).status, 302);
  ASSERT_EQ(SignIn(b).status, 302);
  std::string b_id = session::RecordId(SessionIdOf(b));
  std::string csrf = InputValue(a.Get(stack_->Url("/security")).body, "csrf");
  EXPECT_EQ(a.Post(stack_->Url("/security"), "action=end&id=" + b_id, Origin()).status, 403);
  EXPECT_EQ(a.Post(stack_->Url("/security"), "csrf=" + csrf + "&action=end&id=" + b_id,
                   "https://attacker.example")
                .status,
            403);
  // a handle that is none of this user's sessions
  HttpResponse foreign = a.Post(stack_->Url("/security"),
                                "csrf=" + csrf + "&action=end&id=" + session::RecordId("not-mine"),
                                Origin());
  EXPECT_EQ(foreign.Header("Location"), "/security?ended=0");
  std::this_thread::sleep_for(kPastTrustWindow);
  EXPECT_EQ(b.Get(stack_->Url("/dashboard")).status, 200) << "b was never ended";
  Browser stranger;
  EXPECT_EQ(stranger.Get(stack_->Url("/security")).status, 302) << "signed in only";
  EXPECT_EQ(stranger.Post(stack_->Url("/security"), "action=end_others", Origin()).status, 401);
  EXPECT_EQ(a.Post(stack_->Url("/security"), "csrf=" + csrf + "&action=explode", Origin()).status,
            400);
}

// A link crafted by someone else cannot put words on the page: the notice takes a count only.
TEST_F(SessionRegistryStack, TheNoticeTakesOnlyACountFromTheLink) {
  Browser a;
  ASSERT_EQ(SignIn(a).status, 302);
  HttpResponse spoofed = a.Get(stack_->Url("/security?ended=your+account+was+hacked"));
  EXPECT_EQ(spoofed.status, 200);
  EXPECT_EQ(spoofed.body.find("hacked"), std::string::npos) << spoofed.body;
  EXPECT_EQ(spoofed.body.find("Signed out of"), std::string::npos);
  EXPECT_EQ(a.Get(stack_->Url("/security?ended=-3")).body.find("Signed out of"), std::string::npos);
  EXPECT_NE(a.Get(stack_->Url("/security?ended=2")).body.find("Signed out of 2 other sessions."),
            std::string::npos);
}

// ASVS 2.1.5 and 3.3.3: the user changes the password with the current one, the other sessions
// end (the box is ticked by default), this one goes on, and the new password signs in.
TEST_F(SessionRegistryStack, APasswordChangeEndsTheOtherSessionsAndTheNewPasswordSignsIn) {
  Browser a, b;
  ASSERT_EQ(SignIn(a).status, 302);
  ASSERT_EQ(SignIn(b).status, 302);
  HttpResponse page = a.Get(stack_->Url("/security"));
  EXPECT_NE(page.body.find("name=\"end_others\" value=\"1\" checked"), std::string::npos)
      << page.body;
  const std::string kNew = "Brand-new-Passw0rd";
  HttpResponse changed = ChangePassword(a, Trimmed(DemoPassword()), kNew, kNew, true);
  ASSERT_EQ(changed.status, 303) << changed.body;
  EXPECT_EQ(changed.Header("Location"), "/security?changed=1&ended=1");
  EXPECT_NE(a.Get(stack_->Url("/security?changed=1&ended=1"))
                .body.find("Your password has been changed. Signed out of 1 other session."),
            std::string::npos);
  std::this_thread::sleep_for(kPastTrustWindow);
  EXPECT_EQ(b.Get(stack_->Url("/dashboard")).status, 302) << "the other browser is signed out";
  EXPECT_EQ(a.Get(stack_->Url("/dashboard")).status, 200) << "this one goes on";

  Browser with_old, with_new;
  SignInSteps old_try = StartSignIn(with_old, *stack_, "demo@example.com", Trimmed(DemoPassword()));
  EXPECT_NE(old_try.signin.status, 302) << "the old password no longer signs in";
  SignInSteps new_try = StartSignIn(with_new, *stack_, "demo@example.com", kNew);
  ASSERT_EQ(new_try.signin.status, 302) << new_try.signin.body;
  EXPECT_EQ(with_new.Get(new_try.callback).status, 302);
  EXPECT_EQ(with_new.Get(stack_->Url("/dashboard")).status, 200);
}

// Refused changes keep every session, show the reason beside its field and never send a typed
// password back; an unticked box leaves the other sessions alone.
TEST_F(SessionRegistryStack, ARefusedPasswordChangeSaysWhyAndEchoesNoPassword) {
  Browser a, b;
  ASSERT_EQ(SignIn(a).status, 302);
  ASSERT_EQ(SignIn(b).status, 302);
  const std::string kWrong = "Not-the-Passw0rd";
  HttpResponse wrong = ChangePassword(a, kWrong, "Another-Passw0rd", "Another-Passw0rd", true);
  EXPECT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_NE(wrong.body.find("The current password is not correct."), std::string::npos);
  EXPECT_EQ(wrong.body.find(kWrong), std::string::npos) << "a typed password came back";
  EXPECT_EQ(wrong.body.find("Another-Passw0rd"), std::string::npos);
  EXPECT_NE(wrong.body.find("name=\"end_others\" value=\"1\" checked"), std::string::npos);

  HttpResponse weak = ChangePassword(a, Trimmed(DemoPassword()), "weakweak", "weakweak", false);
  EXPECT_EQ(weak.status, 422) << weak.body;
  EXPECT_NE(weak.body.find("Password requirements"), std::string::npos) << weak.body;
  EXPECT_EQ(weak.body.find("name=\"end_others\" value=\"1\" checked"), std::string::npos)
      << "the unticked box stays unticked";

  HttpResponse mismatch =
      ChangePassword(a, Trimmed(DemoPassword()), "Another-Passw0rd", "Another-Passw0rd!", true);
  EXPECT_EQ(mismatch.status, 422);
  EXPECT_NE(mismatch.body.find("This does not match the new password."), std::string::npos);

  // kept box unticked: the password changes, b stays signed in
  HttpResponse kept =
      ChangePassword(a, Trimmed(DemoPassword()), "Another-Passw0rd", "Another-Passw0rd", false);
  ASSERT_EQ(kept.status, 303) << kept.body;
  EXPECT_EQ(kept.Header("Location"), "/security?changed=1");
  std::this_thread::sleep_for(kPastTrustWindow);
  EXPECT_EQ(b.Get(stack_->Url("/dashboard")).status, 200);
  EXPECT_EQ(stack_->Log("account").find("Another-Passw0rd"), std::string::npos);
}

// "Sign out everywhere": every session of the user ends, this browser's too, and so does the
// user's session at the identity provider, so the next sign-in asks for the password again.
TEST_F(SessionRegistryStack, SignOutEverywhereEndsEveryBrowserAndTheProviderSession) {
  Browser a, b;
  ASSERT_EQ(SignIn(a).status, 302);
  ASSERT_EQ(SignIn(b).status, 302);
  std::string copied = a.Value(kSessionCookie);
  std::string csrf = InputValue(a.Get(stack_->Url("/security")).body, "csrf");
  HttpResponse all = a.Post(stack_->Url("/security"), "csrf=" + csrf + "&action=end_all", Origin());
  ASSERT_EQ(all.status, 303) << all.body;
  EXPECT_EQ(all.Header("Location"), "/");
  EXPECT_FALSE(a.Has(kSessionCookie)) << "this browser's cookie is cleared";
  ExpectRefusedEverywhere(copied);  // refused at once by the process that ended it, then by all
  std::this_thread::sleep_for(kPastTrustWindow);
  ExpectRefusedEverywhere(copied);
  EXPECT_EQ(b.Get(stack_->Url("/dashboard")).status, 302);
  // the provider's session is gone: /login leads to its form, not straight back (SSO)
  HttpResponse login = a.Get(stack_->Url("/login"));
  ASSERT_EQ(login.status, 302);
  EXPECT_EQ(a.Get(login.Header("Location")).status, 200) << "mini-okta asks for the password";
}

// The new forms are refused without the token or from another origin, and change nothing.
TEST_F(SessionRegistryStack, ThePasswordAndSignOutEverywhereFormsNeedTheTokenAndTheOrigin) {
  Browser a;
  ASSERT_EQ(SignIn(a).status, 302);
  std::string csrf = InputValue(a.Get(stack_->Url("/security")).body, "csrf");
  std::string change = "&action=change_password&oldPassword=" +
                       http::FormUrlEncode(Trimmed(DemoPassword())) +
                       "&newPassword=Forged-Passw0rd&confirmPassword=Forged-Passw0rd";
  EXPECT_EQ(a.Post(stack_->Url("/security"), change.substr(1), Origin()).status, 403);
  EXPECT_EQ(a.Post(stack_->Url("/security"), "csrf=" + csrf + change, "https://attacker.example")
                .status,
            403);
  EXPECT_EQ(a.Post(stack_->Url("/security"), "action=end_all", Origin()).status, 403);
  EXPECT_EQ(
      a.Post(stack_->Url("/security"), "csrf=" + csrf + "&action=end_all", "https://attacker.example")
          .status,
      403);
  EXPECT_EQ(a.Get(stack_->Url("/dashboard")).status, 200) << "still signed in";
  Browser still_old;
  SignInSteps old_password = StartSignIn(still_old, *stack_, "demo@example.com", Trimmed(DemoPassword()));
  EXPECT_EQ(old_password.signin.status, 302) << "the password was not changed";
}

// ASVS 3.3.4: sessions are ended only by someone who proved recently who they are. A session
// whose password was typed long ago (here the provider's clock says 20 minutes) is offered a
// fresh sign-in instead of the buttons; the provider is told to ask for the password although
// its own session is live (prompt=login); the new session replaces the old one, and may act.
TEST_F(SessionRegistryStack, EndingSessionsOnAnOldSignInAsksForThePasswordFirst) {
  Browser other, a;
  ASSERT_EQ(SignIn(other).status, 302);
  Faults(R"({"clockOffsetSeconds":-1200})");
  HttpResponse old_sign_in = SignIn(a);
  Faults(R"({"clockOffsetSeconds":0})");
  ASSERT_EQ(old_sign_in.status, 302);
  std::string old_sid = SessionIdOf(a);

  HttpResponse page = a.Get(stack_->Url("/security"));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("confirm it's you by signing in again"), std::string::npos)
      << page.body;
  EXPECT_EQ(page.body.find("Sign out everywhere else"), std::string::npos) << "no buttons yet";
  HttpResponse refused = a.Post(stack_->Url("/security"),
                                "csrf=" + InputValue(page.body, "csrf") + "&action=end_others",
                                Origin());
  ASSERT_EQ(refused.status, 303);
  EXPECT_EQ(refused.Header("Location"), "/login?fresh=1&returnTo=%2Fsecurity");
  std::this_thread::sleep_for(kPastTrustWindow);
  EXPECT_EQ(other.Get(stack_->Url("/dashboard")).status, 200) << "nothing was ended";

  SignInSteps fresh = StartSignIn(a, *stack_, "demo@example.com", Trimmed(DemoPassword()),
                                  "?fresh=1&returnTo=%2Fsecurity");
  EXPECT_NE(fresh.authorize.find("prompt=login"), std::string::npos) << fresh.authorize;
  EXPECT_EQ(fresh.form.status, 200) << "the provider asked for the password again";
  ASSERT_EQ(fresh.signin.status, 302) << fresh.signin.body;
  HttpResponse back = a.Get(fresh.callback);
  ASSERT_EQ(back.status, 302) << back.body;
  EXPECT_EQ(back.Header("Location"), "/security");
  EXPECT_NE(SessionIdOf(a), old_sid) << "a new session";
  auto registry = Registry();
  ASSERT_NE(registry, nullptr);
  EXPECT_FALSE((*registry->Find(session::RecordId(old_sid)))->active()) << "the old one ended";

  page = a.Get(stack_->Url("/security"));
  ASSERT_NE(page.body.find("Sign out everywhere else"), std::string::npos) << page.body;
  HttpResponse ended = a.Post(stack_->Url("/security"),
                              "csrf=" + InputValue(page.body, "csrf") + "&action=end_others",
                              Origin());
  EXPECT_EQ(ended.Header("Location"), "/security?ended=1");
}

// A reset through /reset-password completes at the identity provider (its emailed link), which
// tells userdesk nothing; Okta's user then says passwordChanged. Profiles are read on every view
// here (PROFILE_CACHE_SECONDS=0), so the first page that reads the user ends every session that
// began before the reset. A change made on the Security page is not taken for one.
class PasswordResetStack : public SessionRegistryStack {
 protected:
  static void SetUpTestSuite() {
    Stack::Options options;
    options.extra_env = {{"SESSION_CHECK_SECONDS", "1"}, {"PROFILE_CACHE_SECONDS", "0"}};
    StartStack(options);
  }

  // The reset form, posted as a visitor would, then the link mini-okta mailed.
  static std::string RequestResetLink(const std::string& email) {
    Browser visitor;
    HttpResponse form = visitor.Get(stack_->Url("/reset-password"));
    HttpResponse sent = visitor.Post(stack_->Url("/reset-password"),
                                     "csrf=" + InputValue(form.body, "csrf") +
                                         "&email=" + http::FormUrlEncode(email),
                                     Origin());
    EXPECT_EQ(sent.status, 200) << sent.body;
    for (int i = 0; i < 100; i++) {
      HttpRequest r;
      r.url = stack_->MiniOktaUrl() + "/dev/outbox";
      r.headers = {"Accept: application/json"};
      std::smatch m;
      std::string outbox = Fetch(r).body;
      if (std::regex_search(outbox, m, std::regex("\"link\":\"([^\"]*/reset_password/[^\"]+)\""))) {
        return m[1].str();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return "";
  }
};

TEST_F(PasswordResetStack, AResetEndsEverySessionThatBeganBeforeIt) {
  Browser a, b;
  ASSERT_NO_FATAL_FAILURE(SignInAndOpenTheDashboard(a));
  ASSERT_NO_FATAL_FAILURE(SignInAndOpenTheDashboard(b));
  // the user's own change, keeping the other session: not a reset, nothing more ends
  const std::string kChanged = "Changed-Passw0rd";
  ASSERT_EQ(ChangePassword(a, Trimmed(DemoPassword()), kChanged, kChanged, false).status, 303);
  std::this_thread::sleep_for(kPastTrustWindow);
  EXPECT_EQ(a.Get(stack_->Url("/dashboard")).status, 200);
  EXPECT_EQ(b.Get(stack_->Url("/profile")).status, 200);

  std::string link = RequestResetLink("demo@example.com");
  ASSERT_FALSE(link.empty()) << "no reset link was mailed";
  // sessions begun within the clock slack (5 s) before a change are left alone
  std::this_thread::sleep_for(std::chrono::milliseconds(5200));
  Browser mail;
  const std::string kReset = "Reset-Passw0rd-9";
  HttpResponse set = mail.Post(link,
                               "newPassword=" + http::FormUrlEncode(kReset) +
                                   "&confirmPassword=" + http::FormUrlEncode(kReset),
                               stack_->MiniOktaUrl());
  ASSERT_EQ(set.status, 200) << set.body;

  HttpResponse ended = a.Get(stack_->Url("/dashboard"));
  EXPECT_EQ(ended.status, 302) << "the reset ended this session";
  EXPECT_EQ(ended.Header("Location").rfind("/login?returnTo=", 0), 0u);
  std::this_thread::sleep_for(kPastTrustWindow);
  EXPECT_EQ(b.Get(stack_->Url("/dashboard")).status, 302) << "and the other one";
  EXPECT_EQ(b.Get(stack_->Url("/security")).status, 302);

  Browser fresh;
  SignInSteps signed_in = StartSignIn(fresh, *stack_, "demo@example.com", kReset);
  ASSERT_EQ(signed_in.signin.status, 302) << signed_in.signin.body;
  ASSERT_EQ(fresh.Get(signed_in.callback).status, 302);
  EXPECT_EQ(fresh.Get(stack_->Url("/dashboard")).status, 200) << "a session begun after it goes on";
  EXPECT_EQ(fresh.Get(stack_->Url("/profile")).status, 200);
}

}  // namespace
}  // namespace userdesk::integration
