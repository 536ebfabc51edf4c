// The profile responder's refusals, without FastCGI or Okta: what a save gets when the session
// ended while the form was open, or when the form's token belongs to an earlier session. Both keep
// what was typed; a post from another origin never gets it shown back. (Saving against Okta:
// tests/integration/profile_stack_test.cc; in a browser: tests/browser/journeys.test.mjs.)
#include "profile/profile_handler.h"

#include <gtest/gtest.h>

#include "unit/handler_testing.h"

namespace userdesk::profile {
namespace {

constexpr char kOrigin[] = "http://127.0.0.1:3000";

app::App MakeApp() {
  config::Config cfg;
  cfg.host_url = kOrigin;
  cfg.org_url = "http://127.0.0.1:9";  // nothing listens: no test here may reach Okta
  cfg.http_connect_timeout_ms = 200;
  cfg.http_timeout_ms = 200;
  return testing::AppWithTemplates("profile", cfg);
}

session::Session SignedIn() {
  session::Session s;
  s.sub = "00u1";
  s.name = "Ada Lovelace";
  s.csrf = "csrf-of-this-session";
  s.issued_at = session::NowSeconds();
  s.refreshed_at = s.issued_at;
  s.expires_at = s.issued_at + 600;
  return s;
}

// A post of the profile form with an edited city and a first name with markup in it.
http::Request SavePost(const char* csrf) {
  http::Request r;
  r.method = "POST";
  r.path = "/profile";
  r.headers["origin"] = kOrigin;
  r.form = {{"csrf", csrf},          {"firstName", "Ada <b>"}, {"shown.firstName", "Ada"},
            {"city", "London"},      {"shown.city", ""},       {"birthdate", "1990-02-30"},
            {"shown.birthdate", ""}, {"lastName", "Lovelace"}, {"shown.lastName", "Lovelace"}};
  return r;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string HeaderOf(const http::Response& response, const std::string& name) {
  for (const auto& [k, v] : response.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST(ProfileHandler, ASaveAfterTheSessionEndedKeepsWhatWasTypedAndOffersSignInInANewTab) {
  app::App app = MakeApp();
  fcgi::Handler handler = MakeHandler(app);
  http::Request post = SavePost("csrf-of-an-ended-session");
  post.cookies[app.sessions.cookie_name()] = "v1.expired-or-tampered";
  http::Response r = handler(post);
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(Contains(r.body, "Your session has expired, so nothing was saved")) << r.body;
  EXPECT_TRUE(Contains(r.body, R"(value="London")")) << r.body;
  EXPECT_TRUE(Contains(r.body, R"(value="Ada &lt;b&gt;")")) << r.body;
  EXPECT_FALSE(Contains(r.body, "<b>\"")) << r.body;
  // the day that does not exist is still pointed out, as on any save
  EXPECT_TRUE(Contains(r.body, R"(aria-describedby="birthdate-error")")) << r.body;
  EXPECT_TRUE(Contains(r.body, R"(href="/login?returnTo=%2Fprofile" target="_blank")")) << r.body;
  // no token of any session in the form, the stale cookie cleared, nothing cached
  EXPECT_TRUE(Contains(r.body, R"(name="csrf" value="")")) << r.body;
  EXPECT_TRUE(Contains(HeaderOf(r, "Set-Cookie"), "Max-Age=0")) << HeaderOf(r, "Set-Cookie");
  EXPECT_TRUE(Contains(HeaderOf(r, "Cache-Control"), "no-store"));
}

TEST(ProfileHandler, ASaveWithoutASessionFromAnotherOriginGetsThePlainPage) {
  app::App app = MakeApp();
  fcgi::Handler handler = MakeHandler(app);
  http::Request post = SavePost("x");
  post.headers["origin"] = "https://evil.example";
  http::Response r = handler(post);
  EXPECT_EQ(r.status, 401);
  EXPECT_FALSE(Contains(r.body, "London")) << r.body;
  EXPECT_TRUE(Contains(r.body, "Your session has expired")) << r.body;
}

TEST(ProfileHandler, ATokenFromAnEarlierSessionGivesTheFormBackWithThisSessionsToken) {
  app::App app = MakeApp();
  fcgi::Handler handler = MakeHandler(app);
  session::Session session = SignedIn();
  http::Request post = SavePost("csrf-of-an-ended-session");
  post.cookies[app.sessions.cookie_name()] =
      app.sessions.IssueCookie(session, session::NowSeconds()).value;
  http::Response r = handler(post);
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(Contains(r.body, "This form had expired, so nothing was saved")) << r.body;
  EXPECT_TRUE(Contains(r.body, R"(value="London")")) << r.body;
  EXPECT_TRUE(Contains(r.body, R"(name="csrf" value="csrf-of-this-session")")) << r.body;
  EXPECT_FALSE(Contains(r.body, "target=\"_blank\"")) << r.body;

  // From another origin: the plain 403 page, nothing typed shown back.
  post.headers["origin"] = "https://evil.example";
  http::Response forged = handler(post);
  EXPECT_EQ(forged.status, 403);
  EXPECT_FALSE(Contains(forged.body, "London")) << forged.body;
}

}  // namespace
}  // namespace userdesk::profile
