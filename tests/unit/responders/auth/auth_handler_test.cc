// The auth responder's answers that need no identity provider (sign-out refusals, unknown
// paths, back-channel logout requests refused before any key is needed), and the size of the
// headers its sign-in answers can reach. The sign-in itself, against mini-okta:
// tests/integration/auth_stack_test.cc; back-channel logout end to end:
// tests/integration/backchannel_logout_stack_test.cc.
#include "responders/auth/auth_handler.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "app/return_to.h"
#include "crypto/base64url.h"
#include "http/cgi_parse.h"
#include "http/response.h"
#include "json/json.h"
#include "oidc/id_token.h"
#include "oidc/login_transaction.h"
#include "session/sqlite_registry.h"
#include "unit/responders/handler_testing.h"

namespace userdesk::responders::auth {
namespace {

// An auth handler whose provider (ISSUER) nothing listens on: nothing here may need it.
fcgi::Handler OfflineHandler(const app::App& app) {
  oidc::ProviderOptions options;
  options.issuer = "http://127.0.0.1:9/oauth2/default";
  options.http.connect_timeout_ms = 200;
  options.http.total_timeout_ms = 200;
  return MakeHandler(app, std::make_shared<oidc::Provider>(std::move(options)));
}

TEST(AuthHandler, SignOutNotConfirmedIsNeverStored) {
  app::App app = testing::OfflineApp("auth");
  session::Session s = testing::SignedInSession("Ada", "csrf-1");
  http::Request post = testing::SignedInPost(app, s, "/logout", {{"csrf", "not-this-sessions"}});
  http::Response r = OfflineHandler(app)(post);
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(testing::Contains(r.body, "Sign-out not confirmed")) << r.body;
  EXPECT_TRUE(testing::Contains(r.body, "value=\"csrf-1\"")) << "the header's sign-out form";
  EXPECT_EQ(testing::HeaderOf(r, "Cache-Control"), "private, no-store");
  EXPECT_EQ(testing::HeaderOf(r, "Set-Cookie"), "") << "still signed in";
}

TEST(AuthHandler, TheConfirmationAndNotFoundPagesAreNeverStored) {
  app::App app = testing::OfflineApp("auth");
  fcgi::Handler handler = OfflineHandler(app);
  for (const char* path : {"/logout", "/no-such-auth-page"}) {
    http::Request get = testing::GetRequest(path);
    get.cookies[app.sessions.cookie_name()] = app.sessions.Encode(testing::SignedInSession());
    http::Response r = handler(get);
    EXPECT_TRUE(testing::Contains(r.body, "Signed in as")) << path;
    EXPECT_EQ(testing::HeaderOf(r, "Cache-Control"), "private, no-store") << path;
  }
}

// ---- POST /backchannel-logout: the answers that need no identity provider --------------------

// A provider's form post, with no cookie and no Origin (a call from server to server).
http::Request BackChannelPost(http::Params form) {
  http::Request r;
  r.method = "POST";
  r.path = "/backchannel-logout";
  r.headers["content-type"] = "application/x-www-form-urlencoded";
  r.form = std::move(form);
  return r;
}

// The answer's OAuth error object (RFC 6749 §5.2), as the provider reads it.
void ExpectOAuthError(const http::Response& r, int status, const std::string& error) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(testing::HeaderOf(r, "Cache-Control"), "no-store");
  EXPECT_EQ(testing::HeaderOf(r, "Content-Type").rfind("application/json", 0), 0u);
  auto body = json::ParseObject(r.body);
  ASSERT_TRUE(body.has_value()) << r.body;
  EXPECT_EQ(json::GetString(*body, "error"), error) << r.body;
  EXPECT_TRUE(json::GetString(*body, "error_description").has_value()) << r.body;
}

// An app whose session registry is a file of its own.
struct RegistryApp {
  RegistryApp() : app(testing::OfflineApp("auth")) {
    path = "/tmp/userdesk-auth-bcl-" + std::to_string(::getpid()) + ".db";
    auto opened = session::SqliteRegistry::Open(path);
    EXPECT_TRUE(opened.ok());
    app.session_gate = std::make_shared<session::SessionGate>(
        std::shared_ptr<session::Registry>(std::move(opened).value()), 5);
  }
  ~RegistryApp() {
    app.session_gate.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) ::unlink((path + suffix).c_str());
  }
  std::string path;
  app::App app;
};

TEST(BackChannelLogout, WithoutTheSessionRegistryThereIsNothingToEnd) {
  app::App app = testing::OfflineApp("auth");
  ASSERT_EQ(app.session_gate, nullptr);
  ExpectOAuthError(OfflineHandler(app)(BackChannelPost({{"logout_token", "a.b.c"}})), 501,
                   "server_error");
}

TEST(BackChannelLogout, OnlyAPostIsTaken) {
  RegistryApp r;
  http::Response get = OfflineHandler(r.app)(testing::GetRequest("/backchannel-logout"));
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(testing::HeaderOf(get, "Allow"), "POST");
}

// No session cookie, CSRF token or Origin is asked for: a missing or malformed token is the
// provider's 400, never the 403 of a form post.
TEST(BackChannelLogout, AMissingRepeatedOrMalformedTokenIsABadRequest) {
  RegistryApp r;
  fcgi::Handler handler = OfflineHandler(r.app);
  ExpectOAuthError(handler(BackChannelPost({})), 400, "invalid_request");
  ExpectOAuthError(handler(BackChannelPost({{"logout_token", "a.b.c"}, {"logout_token", "d.e.f"}})),
                   400, "invalid_request");
  ExpectOAuthError(handler(BackChannelPost({{"logout_token", "not-a-jwt"}})), 400,
                   "invalid_request");
  http::Request cross_site = BackChannelPost({{"logout_token", "not-a-jwt"}});
  cross_site.headers["origin"] = "https://evil.example";
  ExpectOAuthError(handler(cross_site), 400, "invalid_request");
}

// Keys that cannot be fetched are no verdict on the token: the provider may send it again.
TEST(BackChannelLogout, AnUnreachableProviderIsTemporarilyUnavailable) {
  RegistryApp r;
  std::string token = crypto::Base64UrlEncode(R"({"alg":"RS256","kid":"k1"})") + "." +
                      crypto::Base64UrlEncode(R"({"iss":"x"})") + "." +
                      crypto::Base64UrlEncode("signature");
  ExpectOAuthError(OfflineHandler(r.app)(BackChannelPost({{"logout_token", token}})), 503,
                   "temporarily_unavailable");
}

// A callback from the browser that began a sign-in headed for return_to, carrying the attempt's
// cookie, its state and then extra_query.
http::Request Callback(const app::App& app, const std::string& return_to,
                       const std::string& extra_query) {
  oidc::LoginTransactions transactions(app.config.app_secret, "", app.config.https());
  std::vector<http::SetCookie> cookies;
  oidc::LoginTransaction tx = transactions.Begin(return_to, {}, session::NowSeconds(), &cookies);
  http::Request r = testing::GetRequest("/authorization-code/callback");
  r.query = "state=" + tx.state + extra_query;
  r.query_params = http::ParseUrlEncoded(r.query);
  r.cookies[cookies[0].name] = cookies[0].value;
  return r;
}

struct CallbackCase {
  const char* extra_query;
  int status;
  const char* heading;
};

// Each way a callback can fail before or at the provider gets its own words, "Sign in again"
// back to where the attempt was headed, and is never stored.
TEST(AuthHandler, EachFailedCallbackSaysWhatWentWrongAndOffersSignInAgain) {
  app::App app = testing::OfflineApp("auth");
  for (const CallbackCase& c : {
           CallbackCase{"&error=access_denied&error_description=no", 400,
                        "Sign-in was not completed"},
           CallbackCase{"&error=server_error", 400, "Sign-in failed"},
           CallbackCase{"", 400, "Bad request"},                      // no code
           CallbackCase{"&code=abc", 503, "Sign-in is unavailable"},  // the provider is down
       }) {
    http::Response r = OfflineHandler(app)(Callback(app, "/profile", c.extra_query));
    EXPECT_EQ(r.status, c.status) << c.extra_query;
    EXPECT_TRUE(testing::Contains(r.body, c.heading)) << c.extra_query << r.body;
    EXPECT_TRUE(testing::Contains(r.body, "href=\"/login?returnTo=%2Fprofile\"")) << r.body;
    EXPECT_EQ(testing::HeaderOf(r, "Cache-Control"), "no-store") << c.extra_query;
  }
}

TEST(AuthHandler, ACallbackWithAnUnknownStateHasExpired) {
  app::App app = testing::OfflineApp("auth");
  http::Request r = Callback(app, "/profile", "");
  r.cookies.clear();  // another browser: the attempt's cookie is not here
  http::Response answer = OfflineHandler(app)(r);
  EXPECT_EQ(answer.status, 400);
  EXPECT_TRUE(testing::Contains(answer.body, "This sign-in has expired")) << answer.body;
  EXPECT_TRUE(testing::Contains(answer.body, "href=\"/login?returnTo=%2Fdashboard\""))
      << answer.body;
}

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; i++) out += s;
  return out;
}

// The CGI header block of a response, as nginx must hold it in fastcgi_buffer_size.
size_t HeaderBytes(const http::Response& r) { return http::SerializeCgi(r, true).size(); }

// The callback's answer is the largest: Location (returnTo), the attempt cookie's deletion and
// the session cookie. With every cap at its limit (returnTo kMaxReturnToBytes, a 255-character
// sub, a display name of kMaxDisplayNameChars 4-byte characters, a kMaxIdTokenBytes ID token,
// https cookie names) it stays within the budget docs/ARCHITECTURE.md states, well inside
// nginx's fastcgi_buffer_size.
TEST(AuthHeaders, TheLargestCallbackAnswerStaysWithinTheBudget) {
  config::Config cfg;
  cfg.host_url = "https://userdesk.example.com";
  app::App app = testing::AppWithTemplates("auth", cfg);
  oidc::LoginTransactions transactions(cfg.app_secret, "", true);

  std::string return_to = app::CleanReturnTo("/" + std::string(app::kMaxReturnToBytes - 1, 'p'));
  ASSERT_EQ(return_to.size(), app::kMaxReturnToBytes);
  std::vector<http::SetCookie> cookies;
  oidc::LoginTransaction tx = transactions.Begin(return_to, {}, 0, &cookies);
  oidc::LoginTransactions::CookieJar jar{{cookies[0].name, cookies[0].value}};
  cookies.clear();
  auto taken = transactions.Take(jar, tx.state, 1, &cookies);
  ASSERT_TRUE(taken.has_value());

  session::Session s = app.sessions.Start(std::string(255, 's'),
                                          Repeat("\xf0\x9f\x98\x80", session::kMaxDisplayNameChars),
                                          std::string(oidc::kMaxIdTokenBytes, 'i'), 1);
  s.profile_updated_ms = 9'999'999'999'999;
  cookies.push_back(app.sessions.IssueCookie(s, 1));
  http::Response r = http::Response::Redirect(taken->return_to);
  for (const auto& c : cookies) r.Cookie(c);
  r.Header("Cache-Control", "no-store");

  size_t bytes = HeaderBytes(r);
  std::cout << "largest callback header block: " << bytes << " bytes\n";
  EXPECT_LE(bytes, 5200u);
  EXPECT_EQ(testing::HeaderOf(r, "Location"), return_to);
}

// /login's answer: the new attempt's cookie (returnTo inside, JSON-escaped and base64url) plus
// at most kMaxDeletionsPerResponse deletions, beside the provider's authorize URL.
TEST(AuthHeaders, TheLargestLoginCookiesStayWithinTheBudget) {
  oidc::LoginTransactions transactions("0123456789abcdef-test", "", true);
  oidc::LoginTransactions::CookieJar jar;
  for (int i = 0; i < 50; i++) {
    jar["__Host-userdesk_login_" + std::string(12, 'j') + std::to_string(1000 + i)] = "junk";
  }
  // a kept returnTo holds nothing JSON escapes (app/return_to.h): one byte per character
  std::string return_to = app::CleanReturnTo("/" + std::string(app::kMaxReturnToBytes - 1, 'p'));
  ASSERT_EQ(return_to.size(), app::kMaxReturnToBytes);
  std::vector<http::SetCookie> cookies;
  transactions.Begin(return_to, jar, 0, &cookies);
  EXPECT_EQ(cookies.size(), oidc::kMaxDeletionsPerResponse + 1);
  http::Response r;
  for (const auto& c : cookies) r.Cookie(c);
  r.Header("Cache-Control", "no-store");
  size_t bytes = HeaderBytes(r);
  std::cout << "largest /login cookie headers: " << bytes << " bytes\n";
  EXPECT_LE(bytes, 4200u);
}

}  // namespace
}  // namespace userdesk::responders::auth
