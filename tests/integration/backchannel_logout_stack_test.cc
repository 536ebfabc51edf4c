// OpenID Connect Back-Channel Logout 1.0 through the real stack: mini-okta's admin extension
// (POST /admin/backchannel-logout) signs a logout token and posts it to the client's registered
// URI, <HOST_URL>/backchannel-logout (scripts/run.sh's seed), through nginx to the auth
// responder, which ends the sessions it names in the registry (sessions.db in the run dir;
// SESSION_CHECK_SECONDS=1). Two browsers of one user: a token naming one browser's provider
// session (sid) ends only that browser's session; one naming the user (sub) ends both; every
// refused token (each fault of the extension, and a replayed jti) ends nothing; the token never
// reaches a log. Without the registry the endpoint answers 501.
#include <regex>

#include "crypto/base64url.h"
#include "integration/browser.h"
#include "integration/stack.h"
#include "json/json.h"
#include "session/registry.h"
#include "session/session_cookie.h"
#include "session/token_vault.h"
#include "support/wait.h"

namespace userdesk::integration {
namespace {

const char kSessionCookie[] = "userdesk_session";

class BackChannelLogoutStack : public DemoStackTest {
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
  // The browser's session, from its cookie (signed, not encrypted).
  static session::Session SessionOf(const Browser& b) {
    session::SessionCodec codec(session::CodecOptions{Env("APP_SECRET"), "", false, 60});
    auto decoded = codec.Decode(b.Value(kSessionCookie), session::NowSeconds());
    EXPECT_TRUE(decoded.has_value()) << "no session cookie";
    return decoded ? *decoded : session::Session{};
  }
  // The provider's session the browser signed in with: the sid of the sign-in's ID token, which
  // the registry keeps, sealed, with the session's record (not the cookie).
  static std::string ProviderSidOf(const Browser& b) {
    std::shared_ptr<session::Registry> registry(Registry().release());
    session::TokenVault vault(registry, Env("APP_SECRET"), "");
    auto stored = vault.Get(session::RecordId(SessionOf(b).sid));
    EXPECT_TRUE(stored.ok() && stored->has_value()) << "no ID token kept for the session";
    std::string id_token = stored.ok() && stored->has_value() ? (*stored)->id_token : "";
    size_t first = id_token.find('.'), second = id_token.find('.', first + 1);
    auto payload = crypto::Base64UrlDecode(id_token.substr(first + 1, second - first - 1));
    auto claims = json::ParseObject(payload.value_or(""));
    return claims ? json::GetString(*claims, "sid").value_or("") : "";
  }
  // Whether the browser's session is still active in the registry (ended synchronously, before
  // the answer to the provider).
  static bool ActiveInRegistry(const Browser& b) {
    auto registry = Registry();
    EXPECT_NE(registry, nullptr);
    if (registry == nullptr) return false;
    auto found = registry->Find(session::RecordId(SessionOf(b).sid));
    EXPECT_TRUE(found.ok());
    return found.ok() && found->has_value() && (*found)->active();
  }
  // The dashboard's status for the browser once every process has asked the registry again:
  // for an ended session, a redirect to sign in within the trust window.
  static void ExpectSignedOut(Browser& b) {
    EXPECT_TRUE(userdesk::testing::WaitUntil(
        [&] { return b.Get(stack_->Url("/dashboard")).status == 302; }, std::chrono::seconds(5)))
        << "the dashboard still opens for an ended session";
  }

  // mini-okta's extension: one logout token to userdesk, what userdesk answered.
  static json::Document SendLogoutToken(const std::string& members) {
    HttpRequest r;
    r.method = "POST";
    r.url = stack_->MiniOktaUrl() + "/admin/backchannel-logout";
    r.content_type = "application/json";
    r.body = R"({"clientId":")" + Env("CLIENT_ID") + "\"," + members + "}";
    HttpResponse sent = Fetch(r);
    EXPECT_EQ(sent.status, 200) << sent.body;
    auto doc = json::ParseObject(sent.body);
    EXPECT_TRUE(doc.has_value()) << sent.body;
    EXPECT_EQ(doc ? json::GetBool(*doc, "delivered") : std::nullopt, true) << sent.body;
    return doc ? std::move(*doc) : json::Document();
  }
  static int StatusOf(const json::Document& answer) {
    return static_cast<int>(json::GetInt(answer, "status").value_or(0));
  }
  static std::string Quoted(const std::string& s) { return "\"" + s + "\""; }
};

TEST_F(BackChannelLogoutStack, ByTheProvidersSessionOnlyThatBrowserIsSignedOut) {
  Browser a, b;
  ASSERT_EQ(SignIn(a).status, 302);
  ASSERT_EQ(SignIn(b).status, 302);
  std::string sid_a = ProviderSidOf(a);
  ASSERT_FALSE(sid_a.empty()) << "mini-okta's ID token names its session";
  ASSERT_NE(sid_a, ProviderSidOf(b)) << "two browsers, two provider sessions";
  ASSERT_EQ(a.Get(stack_->Url("/dashboard")).status, 200);

  json::Document answer = SendLogoutToken(R"("sid":)" + Quoted(sid_a));
  EXPECT_EQ(StatusOf(answer), 200) << json::GetString(answer, "body").value_or("");
  EXPECT_FALSE(ActiveInRegistry(a));
  EXPECT_TRUE(ActiveInRegistry(b));
  ExpectSignedOut(a);
  EXPECT_EQ(b.Get(stack_->Url("/dashboard")).status, 200) << "the other browser goes on";
  EXPECT_TRUE(Contains(stack_->Log("auth"), "back-channel logout ended 1 session(s) by sid"))
      << stack_->Log("auth");
}

TEST_F(BackChannelLogoutStack, ByTheUserEveryBrowserOfTheUserIsSignedOut) {
  Browser a, b;
  ASSERT_EQ(SignIn(a).status, 302);
  ASSERT_EQ(SignIn(b).status, 302);
  std::string sub = DemoId();
  json::Document answer = SendLogoutToken(R"("userId":)" + Quoted(sub));
  EXPECT_EQ(StatusOf(answer), 200) << json::GetString(answer, "body").value_or("");
  EXPECT_FALSE(ActiveInRegistry(a));
  EXPECT_FALSE(ActiveInRegistry(b));
  ExpectSignedOut(a);
  ExpectSignedOut(b);
  EXPECT_TRUE(Contains(stack_->Log("auth"), "session(s) by sub sub=" + sub)) << stack_->Log("auth");
}

// Every fault mini-okta can put in a token is refused with the provider's 400, ends nothing, and
// neither the token nor its claims' values reach userdesk's logs or nginx's.
TEST_F(BackChannelLogoutStack, RefusedTokensEndNothing) {
  Browser a;
  ASSERT_EQ(SignIn(a).status, 302);
  std::string sid = ProviderSidOf(a), sub = DemoId();
  std::vector<std::string> tokens;
  for (const char* flaw :
       {"badSignature", "algNone", "wrongIssuer", "wrongAudience", "noEvents", "wrongEvent",
        "withNonce", "noSubject", "noJti", "expired", "issuedInFuture", "wrongType"}) {
    json::Document answer = SendLogoutToken(R"("userId":)" + Quoted(sub) + R"(,"sid":)" +
                                            Quoted(sid) + R"(,"flaw":)" + Quoted(flaw));
    EXPECT_EQ(StatusOf(answer), 400) << flaw;
    auto body = json::ParseObject(json::GetString(answer, "body").value_or(""));
    ASSERT_TRUE(body.has_value()) << flaw;
    EXPECT_EQ(json::GetString(*body, "error"), "invalid_request") << flaw;
    tokens.push_back(json::GetString(answer, "logoutToken").value_or(""));
  }
  EXPECT_TRUE(ActiveInRegistry(a));
  EXPECT_EQ(a.Get(stack_->Url("/dashboard")).status, 200);
  std::string auth_log = stack_->Log("auth");
  EXPECT_GE(Count(auth_log, "logout_token refused"), 12u) << auth_log;
  for (const std::string& log : {auth_log, stack_->Log("access"), stack_->Log("nginx")}) {
    for (const std::string& token : tokens) {
      ASSERT_FALSE(token.empty());
      size_t payload_at = token.find('.') + 1;
      std::string payload = token.substr(payload_at, token.find('.', payload_at) - payload_at);
      EXPECT_FALSE(Contains(log, payload)) << "a token was logged";
    }
  }
}

// A token accepted once is refused when it comes again (its jti is remembered in the registry
// for every process): a browser that signed in again in the same provider session stays.
TEST_F(BackChannelLogoutStack, AReplayedTokenIsRefusedAndEndsNothing) {
  Browser a;
  ASSERT_EQ(SignIn(a).status, 302);
  std::string sid = ProviderSidOf(a);
  json::Document answer = SendLogoutToken(R"("sid":)" + Quoted(sid));
  ASSERT_EQ(StatusOf(answer), 200);
  ExpectSignedOut(a);
  // mini-okta's own session is still there: signing in again takes no password, same sid
  SignInSteps again = StartSignIn(a, *stack_, "demo@example.com", Trimmed(DemoPassword()));
  ASSERT_EQ(again.form.status, 302) << "single sign-on: no form";
  ASSERT_EQ(a.Get(again.callback).status, 302);
  ASSERT_EQ(ProviderSidOf(a), sid);
  ASSERT_TRUE(ActiveInRegistry(a));

  HttpResponse replay = Post(
      stack_->Url("/backchannel-logout"),
      "logout_token=" + http::FormUrlEncode(json::GetString(answer, "logoutToken").value_or("")));
  EXPECT_EQ(replay.status, 400) << replay.body;
  EXPECT_TRUE(Contains(replay.body, "invalid_request")) << replay.body;
  EXPECT_TRUE(ActiveInRegistry(a));
  EXPECT_EQ(a.Get(stack_->Url("/dashboard")).status, 200);
  EXPECT_TRUE(Contains(stack_->Log("auth"), "jti already used")) << stack_->Log("auth");
}

// nginx routes the path to the auth responder; a call from server to server needs no cookie,
// CSRF token or Origin, and every answer is no-store.
TEST_F(BackChannelLogoutStack, TheEndpointAnswersTheProviderNotABrowser) {
  HttpResponse garbage = Post(stack_->Url("/backchannel-logout"), "logout_token=not-a-jwt");
  EXPECT_EQ(garbage.status, 400) << garbage.body;
  EXPECT_EQ(garbage.Header("Cache-Control"), "no-store");
  EXPECT_EQ(garbage.Header("Content-Type").rfind("application/json", 0), 0u);
  EXPECT_TRUE(Contains(garbage.body, "\"error\":\"invalid_request\"")) << garbage.body;
  HttpResponse none = Post(stack_->Url("/backchannel-logout"), "");
  EXPECT_EQ(none.status, 400);
  HttpResponse get = Get(stack_->Url("/backchannel-logout"));
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.Header("Allow"), "POST");
}

// SESSION_STORE=none: sessions are the cookie alone, so there is nothing to end. The provider is
// told so (501), and told again the same way: this is not a passing fault.
class BackChannelLogoutWithoutRegistryStack : public DemoStackTest {
 protected:
  static void SetUpTestSuite() {
    Stack::Options options;
    options.extra_env = {{"SESSION_STORE", "none"}};
    StartStack(options);
  }
};

TEST_F(BackChannelLogoutWithoutRegistryStack, TheProviderIsToldNothingCanBeEnded) {
  HttpRequest r;
  r.method = "POST";
  r.url = stack_->MiniOktaUrl() + "/admin/backchannel-logout";
  r.content_type = "application/json";
  r.body = R"({"clientId":")" + Env("CLIENT_ID") + R"(","sid":"102anysession"})";
  HttpResponse sent = Fetch(r);
  ASSERT_EQ(sent.status, 200) << sent.body;
  auto answer = json::ParseObject(sent.body);
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(json::GetInt(*answer, "status"), 501) << sent.body;
  EXPECT_TRUE(Contains(json::GetString(*answer, "body").value_or(""), "server_error"));
}

}  // namespace
}  // namespace userdesk::integration
