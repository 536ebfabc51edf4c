// Sign-in and sign-out through the real stack: nginx, spawn-fcgi with the home and auth
// responders, and mini-okta as the OpenID provider, on free loopback ports. Each test drives a
// Browser (one cookie jar) through /login, mini-okta's form and our callback.
#include <iostream>
#include <regex>
#include <sstream>
#include <thread>

#include "app/return_to.h"
#include "integration/browser.h"
#include "integration/stack.h"
#include "oidc/id_token.h"
#include "oidc/login_transaction.h"
#include "session/session_cookie.h"
#include "support/wait.h"

namespace userdesk::integration {
namespace {

class AuthStack : public DemoStackTest {};

const char kSessionCookie[] = "userdesk_session";
const char kLoginCookiePrefix[] = "userdesk_login_";

std::string SetCookieHeader(const HttpResponse& r, const std::string& name) {
  for (const std::string& h : r.Headers("set-cookie")) {
    if (h.rfind(name + "=", 0) == 0) return h;
  }
  return "";
}

TEST_F(AuthStack, LoginRedirectsToTheProviderWithPkceStateAndNonce) {
  Browser b;
  HttpResponse r = b.Get(stack_->Url("/login"));
  ASSERT_EQ(r.status, 302) << r.body;
  std::string to = r.Header("Location");
  EXPECT_EQ(to.rfind(stack_->MiniOktaUrl() + "/oauth2/default/v1/authorize?", 0), 0u) << to;
  EXPECT_EQ(QueryParam(to, "client_id"), Env("CLIENT_ID"));
  EXPECT_EQ(QueryParam(to, "response_type"), "code");
  EXPECT_EQ(QueryParam(to, "scope"), "openid+profile+email");
  EXPECT_EQ(QueryParam(to, "code_challenge_method"), "S256");
  EXPECT_EQ(QueryParam(to, "code_challenge").size(), 43u);
  EXPECT_EQ(QueryParam(to, "state").size(), 43u);
  EXPECT_EQ(QueryParam(to, "nonce").size(), 43u);
  EXPECT_EQ(b.CountWithPrefix(kLoginCookiePrefix), 1u);
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
}

TEST_F(AuthStack, FullSignInShowsTheNameInTheHeaderAndReturnsToTheAskedPath) {
  Browser b;
  HttpResponse callback = SignIn(b, "?returnTo=%2F%3Fwelcome%3D1");
  ASSERT_EQ(callback.status, 302) << callback.body;
  EXPECT_EQ(callback.Header("Location"), "/?welcome=1");
  std::string cookie = SetCookieHeader(callback, kSessionCookie);
  EXPECT_TRUE(Contains(cookie, "HttpOnly")) << cookie;
  EXPECT_TRUE(Contains(cookie, "SameSite=Lax")) << cookie;
  EXPECT_TRUE(Contains(cookie, "Path=/")) << cookie;
  EXPECT_LT(cookie.size(), 3500u) << "the session cookie must stay well under 4 KB";
  EXPECT_EQ(b.CountWithPrefix(kLoginCookiePrefix), 0u) << "the attempt's cookie is cleared";
  HttpResponse home = b.Get(stack_->Url("/"));
  ASSERT_EQ(home.status, 200);
  EXPECT_TRUE(Contains(home.body, "Signed in as <a href=\"/profile\"><bdi>Demo User</bdi></a>"))
      << home.body;
  EXPECT_TRUE(Contains(home.body, "action=\"/logout\"")) << home.body;
  // signed in already: /login goes straight on to where it was asked to
  HttpResponse again = b.Get(stack_->Url("/login?returnTo=%2Fprofile"));
  EXPECT_EQ(again.status, 302);
  EXPECT_EQ(again.Header("Location"), "/profile");
}

TEST_F(AuthStack, AThinIdTokenGetsTheNameFromUserinfo) {
  Faults(R"({"minimalIdToken":true})");  // like Okta's custom servers: no name in the ID token
  Browser b;
  ASSERT_EQ(SignIn(b).status, 302);
  HttpResponse home = b.Get(stack_->Url("/"));
  EXPECT_TRUE(Contains(home.body, "Signed in as <a href=\"/profile\"><bdi>Demo User</bdi></a>"))
      << home.body;
  EXPECT_TRUE(Contains(stack_->Log("auth"), "/oauth2/default/v1/userinfo 200"))
      << stack_->Log("auth");
}

TEST_F(AuthStack, NoLogCarriesTheCodeTheSecretOrATokenAfterSignInAndOut) {
  Browser b;
  SignInSteps s = StartSignIn(b, *stack_, "demo@example.com", Trimmed(DemoPassword()));
  ASSERT_EQ(b.Get(s.callback).status, 302);
  std::string session = b.Value(kSessionCookie);
  HttpResponse confirm = b.Get(stack_->Url("/logout"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(confirm.body, m, std::regex("name=\"csrf\" value=\"([^\"]+)\"")));
  std::string csrf = m[1];
  ASSERT_EQ(b.Post(stack_->Url("/logout"), "csrf=" + csrf, Origin()).status, 303);
  // nginx writes the access line after answering: the sign-out's line is the last to wait for
  ASSERT_TRUE(userdesk::testing::WaitUntil([&] {
    return Contains(stack_->Log("access"), "\"POST /logout HTTP/1.1\" 303");
  })) << stack_->Log("access");
  std::string code = QueryParam(s.callback, "code");
  ASSERT_FALSE(code.empty());
  std::string id_token_start = "eyJ";  // any JWT (ID token, access token) in base64url
  for (const char* log : {"access", "auth", "home", "nginx"}) {
    std::string text = stack_->Log(log);
    EXPECT_FALSE(Contains(text, code)) << log << " logs the authorization code";
    EXPECT_FALSE(Contains(text, Env("CLIENT_SECRET"))) << log;
    EXPECT_FALSE(Contains(text, id_token_start)) << log << " logs a token";
    EXPECT_FALSE(Contains(text, csrf)) << log;
    EXPECT_FALSE(Contains(text, session.substr(3, 40))) << log << " logs the session cookie";
  }
  EXPECT_TRUE(Contains(stack_->Log("access"), "/authorization-code/callback?[redacted]"));
}

TEST_F(AuthStack, UnsafeReturnToIsReplacedByTheDashboard) {
  for (const char* rt : {"https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example", "%2F%5Cevil",
                         "%2F%252F%252Fevil.example"}) {
    Browser b;
    HttpResponse callback = SignIn(b, std::string("?returnTo=") + rt);
    EXPECT_EQ(callback.Header("Location"), "/dashboard") << rt;
  }
}

TEST_F(AuthStack, SignInAcrossAKeyRotationRefetchesTheKeys) {
  Browser first;
  ASSERT_EQ(SignIn(first).status, 302);  // the auth responder now caches the JWKS
  // two rotations: the signing key is now one the cached JWKS never listed
  for (int i = 0; i < 2; i++) {
    HttpRequest rotate;
    rotate.method = "POST";
    rotate.url = stack_->MiniOktaUrl() + "/admin/rotate-key";
    rotate.content_type = "application/json";  // the admin endpoint takes JSON only
    rotate.body = "{}";
    ASSERT_EQ(Fetch(rotate).status, 200);
  }
  Browser second;
  HttpResponse callback = SignIn(second);
  EXPECT_EQ(callback.status, 302) << callback.body;
  EXPECT_FALSE(SetCookieHeader(callback, kSessionCookie).empty());
}

TEST_F(AuthStack, ProviderErrorAnswerGetsAFriendlyPage) {
  Browser b;
  HttpResponse login = b.Get(stack_->Url("/login?returnTo=%2Fprofile"));
  std::string state = QueryParam(login.Header("Location"), "state");
  HttpResponse r =
      b.Get(stack_->Url("/authorization-code/callback?error=access_denied&"
                        "error_description=User+not+assigned&state=" +
                        state));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "Sign-in was not completed")) << r.body;
  EXPECT_TRUE(Contains(r.body, "href=\"/login?returnTo=%2Fprofile\"")) << r.body;
  EXPECT_FALSE(Contains(r.body, "User not assigned")) << "provider text is logged, not shown";
  EXPECT_FALSE(b.Has(kSessionCookie));
  EXPECT_EQ(b.CountWithPrefix(kLoginCookiePrefix), 0u);
}

TEST_F(AuthStack, UnknownStateIsNeverADeadEnd) {
  // anonymous: a 400 page that explains and offers to sign in again
  Browser anonymous;
  HttpResponse r = anonymous.Get(
      stack_->Url("/authorization-code/callback?code=abc&state=" + std::string(43, 'x')));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Contains(r.body, "This sign-in has expired")) << r.body;
  EXPECT_TRUE(Contains(r.body, ">Sign in again</a>")) << r.body;
  HttpResponse no_state = anonymous.Get(stack_->Url("/authorization-code/callback"));
  EXPECT_EQ(no_state.status, 400);
  // signed in (e.g. the back button after signing in): on to the app
  Browser signed_in;
  ASSERT_EQ(SignIn(signed_in).status, 302);
  HttpResponse again =
      signed_in.Get(stack_->Url("/authorization-code/callback?code=abc&state=stale"));
  EXPECT_EQ(again.status, 302);
  EXPECT_EQ(again.Header("Location"), "/dashboard");
}

TEST_F(AuthStack, AStaleAttemptFromTheBackButtonIsRefused) {
  Browser b;
  SignInSteps s = StartSignIn(b, *stack_, "demo@example.com", Trimmed(DemoPassword()));
  auto saved_jar = b.jar();  // the attempt's cookie, as the back button would still have it
  ASSERT_EQ(b.Get(s.callback).status, 302);
  // replaying the same callback with the same attempt cookie: the attempt was used
  Browser replay;
  replay.jar() = saved_jar;
  HttpResponse r = replay.Get(s.callback);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_FALSE(replay.Has(kSessionCookie));
}

TEST_F(AuthStack, AReplayedCodeIsRefusedByTheProvider) {
  Browser victim;
  SignInSteps used = StartSignIn(victim, *stack_, "demo@example.com", Trimmed(DemoPassword()));
  ASSERT_EQ(victim.Get(used.callback).status, 302);
  // a fresh attempt of its own, but someone else's (already redeemed) code
  Browser attacker;
  HttpResponse login = attacker.Get(stack_->Url("/login"));
  std::string state = QueryParam(login.Header("Location"), "state");
  HttpResponse r = attacker.Get(stack_->Url("/authorization-code/callback?code=" +
                                            QueryParam(used.callback, "code") + "&state=" + state));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(Contains(r.body, "Sign-in could not be completed")) << r.body;
  EXPECT_FALSE(attacker.Has(kSessionCookie));
}

TEST_F(AuthStack, TwoTabsCanSignInAtOnce) {
  Browser b;  // one browser, two tabs: one cookie jar
  SignInSteps tab1 =
      StartSignIn(b, *stack_, "demo@example.com", Trimmed(DemoPassword()), "?returnTo=%2Fprofile");
  SignInSteps tab2 =
      StartSignIn(b, *stack_, "demo@example.com", Trimmed(DemoPassword()), "?returnTo=%2F");
  ASSERT_FALSE(tab1.callback.empty());
  ASSERT_FALSE(tab2.callback.empty());
  EXPECT_EQ(b.CountWithPrefix(kLoginCookiePrefix), 2u);
  HttpResponse second = b.Get(tab2.callback);
  EXPECT_EQ(second.status, 302) << second.body;
  EXPECT_EQ(second.Header("Location"), "/");
  HttpResponse first = b.Get(tab1.callback);
  EXPECT_EQ(first.status, 302) << first.body;
  EXPECT_EQ(first.Header("Location"), "/profile");
  EXPECT_EQ(b.CountWithPrefix(kLoginCookiePrefix), 0u);
}

TEST_F(AuthStack, ManyAbandonedAttemptsKeepAtMostFiveCookies) {
  Browser b;
  for (int i = 0; i < 9; i++) ASSERT_EQ(b.Get(stack_->Url("/login")).status, 302);
  EXPECT_EQ(b.CountWithPrefix(kLoginCookiePrefix), 5u);
}

TEST_F(AuthStack, ProviderDownThenBackServesAClear503AndRecovers) {
  Faults(R"({"errorRate":1.0})");
  Browser b;
  HttpResponse down = b.Get(stack_->Url("/login"));
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_TRUE(Contains(down.body, "could not reach the identity provider")) << down.body;
  EXPECT_EQ(b.Get(stack_->Url("/")).status, 200) << "the rest of the site keeps working";
  Faults(R"({"errorRate":0})");
  // discovery is retried with a backoff (1 s after the first failure)
  HttpResponse up;
  for (int i = 0; i < 30; i++) {
    up = b.Get(stack_->Url("/login"));
    if (up.status == 302) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(up.status, 302) << up.body;
}

TEST_F(AuthStack, ClockSkewWithinToleranceIsAcceptedBeyondItRefused) {
  Faults(R"({"clockOffsetSeconds":30})");  // within the default 60 s
  Browser ok;
  EXPECT_EQ(SignIn(ok).status, 302);
  Faults(R"({"clockOffsetSeconds":600})");  // tokens issued 10 minutes in the future
  Browser skewed;
  HttpResponse r = SignIn(skewed);
  EXPECT_EQ(r.status, 502) << r.body;
  EXPECT_TRUE(Contains(r.body, "did not pass our security checks")) << r.body;
  EXPECT_FALSE(skewed.Has(kSessionCookie));
  Faults(R"({"clockOffsetSeconds":0})");
}

TEST_F(AuthStack, IdleSessionsEndAndActiveOnesAreRenewed) {
  int64_t now = session::NowSeconds();
  Browser idle;
  idle.jar()[kSessionCookie] = MintSession("00u1", "Idle User", now - 31 * 60);
  HttpResponse r = idle.Get(stack_->Url("/"));
  EXPECT_FALSE(Contains(r.body, "Signed in as")) << "30 minutes idle: signed out";
  Browser active;
  active.jar()[kSessionCookie] = MintSession("00u1", "Active User", now - 16 * 60);
  HttpResponse a = active.Get(stack_->Url("/"));
  EXPECT_TRUE(Contains(a.body, "Signed in as <a href=\"/profile\"><bdi>Active User</bdi></a>"))
      << a.body;
  std::string renewed = SetCookieHeader(a, kSessionCookie);
  EXPECT_TRUE(Contains(renewed, "Max-Age=1800")) << "past half the idle window: re-issued";
}

TEST_F(AuthStack, SignOutNeedsTheFormTokenThenEndsBothSessions) {
  Browser b;
  ASSERT_EQ(SignIn(b).status, 302);
  HttpResponse confirm = b.Get(stack_->Url("/logout"));
  ASSERT_EQ(confirm.status, 200);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(confirm.body, m, std::regex("name=\"csrf\" value=\"([^\"]+)\"")));
  std::string csrf = m[1];
  // no token, a wrong token, or another origin: refused, still signed in
  HttpResponse refused = b.Post(stack_->Url("/logout"), "", Origin());
  EXPECT_EQ(refused.status, 403);
  EXPECT_TRUE(Contains(refused.body, "Sign-out not confirmed")) << refused.body;
  EXPECT_EQ(refused.Header("Cache-Control"), "private, no-store") << "it shows the name";
  EXPECT_EQ(b.Post(stack_->Url("/logout"), "csrf=wrong", Origin()).status, 403);
  EXPECT_EQ(b.Post(stack_->Url("/logout"), "csrf=" + csrf, "https://evil.example").status, 403);
  EXPECT_TRUE(b.Has(kSessionCookie));
  HttpResponse out = b.Post(stack_->Url("/logout"), "csrf=" + csrf, Origin());
  ASSERT_EQ(out.status, 303) << out.body;
  std::string to = out.Header("Location");
  EXPECT_EQ(to.rfind(stack_->MiniOktaUrl() + "/oauth2/default/v1/logout?", 0), 0u) << to;
  EXPECT_FALSE(QueryParam(to, "id_token_hint").empty());
  EXPECT_EQ(http::FormUrlDecode(QueryParam(to, "post_logout_redirect_uri")), stack_->BaseUrl());
  EXPECT_FALSE(b.Has(kSessionCookie));
  HttpResponse back = b.Get(to);  // mini-okta ends its session and sends us home
  EXPECT_EQ(back.status, 302) << back.body;
  EXPECT_EQ(back.Header("Location").rfind(stack_->BaseUrl(), 0), 0u) << back.Header("Location");
  HttpResponse home = b.Get(stack_->Url("/"));
  EXPECT_FALSE(Contains(home.body, "Signed in as"));
  // the provider session is gone too: /login shows its form again instead of signing in silently
  HttpResponse login = b.Get(stack_->Url("/login"));
  HttpResponse form = b.Get(login.Header("Location"));
  EXPECT_EQ(form.status, 200);
  EXPECT_TRUE(Contains(form.body, "name=\"password\"")) << form.body;
}

TEST_F(AuthStack, ForwardedHeadersNeverChooseTheRedirectUri) {
  HttpRequest r;
  r.url = stack_->Url("/login");
  r.headers = {"Host: evil.example", "X-Forwarded-Host: evil.example", "X-Forwarded-Proto: https",
               "Forwarded: host=evil.example;proto=https"};
  HttpResponse login = Fetch(r);
  ASSERT_EQ(login.status, 302) << login.body;
  EXPECT_EQ(http::FormUrlDecode(QueryParam(login.Header("Location"), "redirect_uri")),
            stack_->BaseUrl() + "/authorization-code/callback");
}

TEST_F(AuthStack, MethodsAndUnknownPaths) {
  EXPECT_EQ(Post(stack_->Url("/login"), "").status, 405);
  EXPECT_EQ(Post(stack_->Url("/authorization-code/callback"), "").status, 405);
}

std::string Repeat(const std::string& s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; i++) out += s;
  return out;
}

// The longest values the caps allow, through a real sign-in: a user with Okta's longest first
// and last names in 4-byte emoji (a 101-character name, kept to kMaxDisplayNameChars), back to a
// returnTo of kMaxReturnToBytes. The callback's answer must reach the browser whole: nginx
// truncating it broke the sign-in and logged the authorization code.
TEST_F(AuthStack, TheLongestNameAndReturnToGetAWholeAnswer) {
  const std::string emoji = "\xf0\x9f\x98\x80";  // U+1F600
  const std::string password = "Correct-Horse-9-battery";
  HttpResponse created = OktaApi(
      "POST", "/api/v1/users?activate=true",
      R"({"profile":{"login":"emoji@example.com","email":"emoji@example.com","firstName":")" +
          Repeat(emoji, 50) + R"(","lastName":")" + Repeat(emoji, 50) +
          R"("},"credentials":{"password":{"value":")" + password + R"("}}})");
  ASSERT_EQ(created.status, 200) << created.body;
  std::string return_to = "/dashboard?pad=" + std::string(app::kMaxReturnToBytes - 15, 'a');
  ASSERT_EQ(return_to.size(), app::kMaxReturnToBytes);

  Browser b;
  SignInSteps s = StartSignIn(b, *stack_, "emoji@example.com", password,
                              "?returnTo=" + http::FormUrlEncode(return_to));
  ASSERT_EQ(s.signin.status, 302) << s.signin.body;
  HttpResponse callback = b.Get(s.callback);
  ASSERT_EQ(callback.status, 302) << callback.error << callback.body;
  EXPECT_EQ(callback.Header("Location"), return_to);
  size_t header_bytes = 0;
  for (const auto& [name, value] : callback.headers) header_bytes += name.size() + value.size() + 4;
  std::cout << "callback response headers: " << header_bytes << " bytes\n";

  // the session holds the name cut at a character boundary; the ID token (within 2 KB) is kept
  // with the session's record in the registry, sealed, not in the cookie every request carries
  session::SessionCodec codec(session::CodecOptions{Env("APP_SECRET"), "", false, 60});
  auto session = codec.Decode(b.Value(kSessionCookie), session::NowSeconds());
  ASSERT_TRUE(session.has_value()) << b.Value(kSessionCookie);
  std::string name = Repeat(emoji, 50) + " " + Repeat(emoji, 49);
  EXPECT_EQ(session->name, name);
  EXPECT_TRUE(session->id_token.empty());
  EXPECT_LT(b.Value(kSessionCookie).size(), 1024u);

  HttpResponse dashboard = b.Get(stack_->Url(return_to));
  EXPECT_EQ(dashboard.status, 200) << dashboard.body;
  EXPECT_TRUE(Contains(dashboard.body, "Signed in as <a href=\"/profile\"><bdi>" + name + "</bdi>"))
      << dashboard.body;
  EXPECT_TRUE(
      Contains(dashboard.body, "<h1><bdi>" + Repeat(emoji, 50) + "</bdi>&apos;s Dashboard</h1>"));
  // nginx writes its lines after answering: the dashboard's access line comes after the callback's
  ASSERT_TRUE(userdesk::testing::WaitUntil([&] {
    static const std::regex kDashboardLine("\"GET /dashboard[^ ]* HTTP/1\\.1\" 200 ");
    return std::regex_search(stack_->Log("access"), kDashboardLine);
  })) << stack_->Log("access");
  std::string code = QueryParam(s.callback, "code");
  ASSERT_FALSE(code.empty());
  EXPECT_FALSE(Contains(stack_->Log("nginx"), "upstream")) << stack_->Log("nginx");
  EXPECT_FALSE(Contains(stack_->Log("nginx"), code)) << "error.log has the authorization code";
}

// 50 junk cookies under the attempts' prefix once made /login answer 50 deletions: past
// nginx's header buffer, a 502. Each answer now deletes at most 10, and sign-in goes on.
TEST_F(AuthStack, FiftyJunkAttemptCookiesDoNotBreakSignIn) {
  Browser b;
  for (int i = 0; i < 50; i++) {
    b.jar()[kLoginCookiePrefix + std::string("junk") + std::to_string(100000000000LL + i)] =
        "v1.junk.junk";
  }
  SignInSteps s = StartSignIn(b, *stack_, "demo@example.com", Trimmed(DemoPassword()));
  ASSERT_EQ(s.login.status, 302) << s.login.body;
  EXPECT_EQ(s.login.Headers("set-cookie").size(), oidc::kMaxDeletionsPerResponse + 1);
  HttpResponse callback = b.Get(s.callback);
  ASSERT_EQ(callback.status, 302) << callback.body;
  HttpResponse home = b.Get(stack_->Url("/"));
  EXPECT_TRUE(Contains(home.body, "Signed in as")) << home.body;
  EXPECT_EQ(b.CountWithPrefix(kLoginCookiePrefix), 40u) << "the rest go on later answers";
}

// SESSION_STORE=none: sessions are the signed cookie alone. Sign-out clears the browser's cookie
// but a copy taken before it still verifies until it expires, since nothing on the server
// records that the session ended; the Security page says so. With the registry (the default),
// sign-out ends it (session_registry_stack_test.cc).
class CookieOnlyStack : public DemoStackTest {
 protected:
  static void SetUpTestSuite() {
    Stack::Options options;
    options.extra_env = {{"SESSION_STORE", "none"}};
    StartStack(options);
  }
};

TEST_F(CookieOnlyStack, TheSecurityPageSaysSessionsAreNotListed) {
  Browser b;
  ASSERT_EQ(SignIn(b).status, 302);
  HttpResponse page = b.Get(stack_->Url("/security"));
  EXPECT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("does not keep a list of sessions"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("Sign out everywhere else"), std::string::npos);
}


// mini-okta is frozen (SIGSTOP) before anything asked it: connections hang. The responders
// serve anyway, sign-in answers a clear 503 within the configured timeout, later tries fail fast
// during the backoff, and sign-in works again once the provider is back.
TEST(AuthStackProviderDown, SignInSays503UntilTheProviderIsBack) {
  Stack::Options options;
  // A stopped mini-okta still accepts connections (the kernel does), so a call to it waits out
  // the whole 1.5 s timeout: a retry answered well inside that did not call it again.
  options.extra_env = {{"HTTP_TIMEOUT_MS", "1500"}, {"HTTP_CONNECT_TIMEOUT_MS", "200"}};
  Stack stack(options);
  ASSERT_TRUE(stack.Start());
  pid_t mini_okta = 0;
  for (const auto& [name, pid] : stack.Pids()) {
    if (name == "mini-okta") mini_okta = pid;
  }
  ASSERT_GT(mini_okta, 0);
  ASSERT_EQ(::kill(mini_okta, SIGSTOP), 0);
  Browser b;
  EXPECT_EQ(b.Get(stack.Url("/")).status, 200);
  HttpResponse r = b.Get(stack.Url("/login"));
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_TRUE(Contains(r.body, "Sign-in is unavailable")) << r.body;
  EXPECT_TRUE(Contains(r.body, ">Sign in again</a>")) << r.body;
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(b.Get(stack.Url("/login")).status, 503);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1000))
      << "within the backoff a retry must not wait for the provider again";
  ASSERT_EQ(::kill(mini_okta, SIGCONT), 0);
  HttpResponse up;
  for (int i = 0; i < 40 && up.status != 302; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    up = b.Get(stack.Url("/login"));
  }
  EXPECT_EQ(up.status, 302) << up.body;
}

}  // namespace
}  // namespace userdesk::integration
