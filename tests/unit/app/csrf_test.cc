#include "app/csrf.h"

#include <gtest/gtest.h>

#include "metrics/registry.h"
#include "support/prometheus_text.h"

namespace userdesk::app {
namespace {

App MakeApp() {
  config::Config cfg;
  cfg.app_secret = "0123456789abcdef-test";
  cfg.host_url = "https://id.example.com";
  auto templates = view::Templates::FromSources({{"layout", "{{{content}}}"}});
  EXPECT_TRUE(templates.ok());
  return App{"test", cfg, std::move(*templates),
             session::SessionCodec(session::CodecOptions{cfg.app_secret, "", true, 60})};
}

http::Request Post(std::string csrf) {
  http::Request r;
  r.method = "POST";
  r.path = "/logout";
  r.form.emplace("csrf", std::move(csrf));
  return r;
}

session::Session WithCsrf(std::string csrf) {
  session::Session s;
  s.sub = "00u1";
  s.csrf = std::move(csrf);
  return s;
}

TEST(Csrf, SameOriginFollowsOriginThenReferer) {
  App app = MakeApp();
  http::Request r = Post("t");
  EXPECT_FALSE(SameOrigin(app, r)) << "neither header: refused";
  r.headers["origin"] = "https://id.example.com";
  EXPECT_TRUE(SameOrigin(app, r));
  for (const char* other : {"https://id.example.com.evil.example", "http://id.example.com",
                            "https://id.example.com:8443", "null", ""}) {
    r.headers["origin"] = other;
    EXPECT_FALSE(SameOrigin(app, r)) << other;
  }
  r.headers.erase("origin");
  r.headers["referer"] = "https://id.example.com/profile?x=1";
  EXPECT_TRUE(SameOrigin(app, r));
  for (const char* other : {"https://id.example.com.evil.example/", "https://id.example.com",
                            "https://evil.example/https://id.example.com/"}) {
    r.headers["referer"] = other;
    EXPECT_FALSE(SameOrigin(app, r)) << other;
  }
}

TEST(Csrf, FormPostNeedsTheSessionToken) {
  App app = MakeApp();
  http::Request good = Post("token-1");
  good.headers["origin"] = "https://id.example.com";
  EXPECT_TRUE(CheckFormPost(app, good, WithCsrf("token-1")).ok());
  Status wrong = CheckFormPost(app, good, WithCsrf("token-2"));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kCsrfMismatch);
  EXPECT_FALSE(CheckFormPost(app, good, WithCsrf("")).ok()) << "a session without a token";
  http::Request missing;
  missing.method = "POST";
  missing.headers["origin"] = "https://id.example.com";
  EXPECT_FALSE(CheckFormPost(app, missing, WithCsrf("token-1")).ok());
  http::Request cross = Post("token-1");
  cross.headers["origin"] = "https://evil.example";
  EXPECT_FALSE(CheckFormPost(app, cross, WithCsrf("token-1")).ok());
}

constexpr int64_t kNow = 1'800'000'000;

// A same-origin post of token with the cookie a form showed.
http::Request FormPost(const FormTokens::Issued& issued, std::string token) {
  http::Request r = Post(std::move(token));
  r.headers["origin"] = "https://id.example.com";
  if (issued.cookie) r.cookies[issued.cookie->name] = issued.cookie->value;
  return r;
}

TEST(FormTokens, AFormGetsATokenAndASignedStrictCookieThatIsReused) {
  App app = MakeApp();
  FormTokens tokens(app.config);
  FormTokens::Issued first = tokens.ForForm(http::Request{}, kNow);
  ASSERT_TRUE(first.cookie.has_value());
  EXPECT_GE(first.token.size(), 40u);
  EXPECT_EQ(first.cookie->name, "__Host-userdesk_form");  // HOST_URL is https
  EXPECT_TRUE(first.cookie->secure);
  EXPECT_TRUE(first.cookie->http_only);
  EXPECT_EQ(first.cookie->same_site, http::SameSite::kStrict);
  EXPECT_EQ(first.cookie->max_age, FormTokens::kLifetimeSeconds);

  http::Request again;
  again.cookies[first.cookie->name] = first.cookie->value;
  FormTokens::Issued second = tokens.ForForm(again, kNow + 3600);
  EXPECT_EQ(second.token, first.token) << "another tab's form keeps working";
  EXPECT_FALSE(second.cookie.has_value());

  FormTokens::Issued later = tokens.ForForm(again, kNow + FormTokens::kLifetimeSeconds / 2);
  EXPECT_NE(later.token, first.token) << "past half its life a token is replaced";
  EXPECT_TRUE(later.cookie.has_value());
  EXPECT_NE(tokens.ForForm(http::Request{}, kNow).token, first.token);
}

TEST(FormTokens, APostNeedsTheSameOriginAndTheCookiesToken) {
  App app = MakeApp();
  FormTokens tokens(app.config);
  FormTokens::Issued issued = tokens.ForForm(http::Request{}, kNow);
  EXPECT_TRUE(tokens.Check(app, FormPost(issued, issued.token), kNow + 60).ok());
  // a post made just before the cookie ages out still counts
  EXPECT_TRUE(
      tokens.Check(app, FormPost(issued, issued.token), kNow + FormTokens::kLifetimeSeconds - 1)
          .ok());

  auto refused = [&](const http::Request& r, int64_t now = kNow) {
    Status s = tokens.Check(app, r, now);
    return !s.ok() && s.error().code == ErrorCode::kCsrfMismatch;
  };
  EXPECT_TRUE(refused(FormPost(issued, "another-token")));
  EXPECT_TRUE(refused(FormPost(issued, "")));
  http::Request no_field = FormPost(issued, issued.token);
  no_field.form.erase("csrf");
  EXPECT_TRUE(refused(no_field));
  http::Request no_cookie = FormPost(issued, issued.token);
  no_cookie.cookies.clear();
  EXPECT_TRUE(refused(no_cookie));
  http::Request cross = FormPost(issued, issued.token);
  cross.headers["origin"] = "https://evil.example";
  EXPECT_TRUE(refused(cross));
  http::Request no_origin = FormPost(issued, issued.token);
  no_origin.headers.clear();
  EXPECT_TRUE(refused(no_origin));
  EXPECT_TRUE(refused(FormPost(issued, issued.token), kNow + FormTokens::kLifetimeSeconds));
  EXPECT_TRUE(refused(FormPost(issued, issued.token), kNow - 120)) << "issued in the future";

  http::Request tampered = FormPost(issued, issued.token);
  tampered.cookies[issued.cookie->name][12] ^= 1;
  EXPECT_TRUE(refused(tampered));
  // a session cookie (another purpose) under the form cookie's name does not verify
  session::Session s = WithCsrf(issued.token);
  http::Request session_cookie = FormPost(issued, issued.token);
  session_cookie.cookies[issued.cookie->name] = app.sessions.Encode(s);
  EXPECT_TRUE(refused(session_cookie));
}

TEST(FormTokens, ARotatedSecretStillVerifiesButAForeignOneDoesNot) {
  App app = MakeApp();
  FormTokens::Issued issued = FormTokens(app.config).ForForm(http::Request{}, kNow);
  config::Config rotated = app.config;
  rotated.app_secret_previous = rotated.app_secret;
  rotated.app_secret = "a-new-secret-of-enough-length";
  EXPECT_TRUE(FormTokens(rotated).Check(app, FormPost(issued, issued.token), kNow).ok());
  config::Config foreign = app.config;
  foreign.app_secret = "another-apps-secret-entirely";
  EXPECT_FALSE(FormTokens(foreign).Check(app, FormPost(issued, issued.token), kNow).ok());
}

}  // namespace
}  // namespace userdesk::app

namespace userdesk::app {
namespace {

double Refusals(const std::string& reason) {
  auto text = userdesk::testing::ParsePrometheusText(metrics::Exposition());
  EXPECT_EQ(text.error, "");
  return text.Value("userdesk_csrf_refusals_total{reason=\"" + reason + "\"}").value_or(-1);
}

TEST(Csrf, EachRefusalIsCountedByReason) {
  App app = MakeApp();
  double origin = Refusals("origin"), token = Refusals("token");
  http::Request r = Post("right");
  EXPECT_FALSE(CheckFormPost(app, r, WithCsrf("right")).ok());  // no Origin
  EXPECT_EQ(Refusals("origin"), origin + 1);
  EXPECT_EQ(Refusals("token"), token);
  r.headers["origin"] = "https://id.example.com";
  EXPECT_FALSE(CheckFormPost(app, r, WithCsrf("other")).ok());
  EXPECT_EQ(Refusals("token"), token + 1);
  EXPECT_TRUE(CheckFormPost(app, r, WithCsrf("right")).ok());
  EXPECT_EQ(Refusals("origin"), origin + 1) << "an accepted post counts nothing";
  EXPECT_EQ(Refusals("token"), token + 1);
}

}  // namespace
}  // namespace userdesk::app
