#include "app/guard.h"

#include <gtest/gtest.h>

namespace userdesk::app {
namespace {

App MakeApp() {
  config::Config cfg;
  cfg.app_secret = "0123456789abcdef-test";
  auto templates = view::Templates::FromSources(
      {{"layout", "<title>{{title}}</title>{{{content}}}"},
       {"errors/error",
        "<h1>{{heading}}</h1><p>{{message}}</p>{{#action_href}}<a "
        "href=\"{{action_href}}\">{{action_label}}</a>{{/action_href}}"}});
  EXPECT_TRUE(templates.ok());
  session::CodecOptions codec{cfg.app_secret, "", false, 60, 1800, 8 * 3600};
  return App{"test", cfg, std::move(*templates), session::SessionCodec(codec)};
}

http::Request Req(std::string method, std::string path, std::string query = "") {
  http::Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.query = std::move(query);
  return r;
}

std::string HeaderOf(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

TEST(Guard, SignedInVisitorPasses) {
  App app = MakeApp();
  http::Request req = Req("GET", "/profile");
  req.cookies[app.sessions.cookie_name()] =
      app.sessions.Encode(app.sessions.Start("00u1", "Ada", "", session::NowSeconds()));
  Visitor v = Identify(app, req);
  ASSERT_TRUE(v.session.has_value());
  EXPECT_FALSE(SignInRequired(app, req, v).has_value());
  EXPECT_FALSE(v.renewal.has_value());  // fresh: nothing to re-issue
}

TEST(Guard, BrowserGetIsSentToSignInWithItsPath) {
  App app = MakeApp();
  http::Request req = Req("GET", "/profile", "tab=a&b=1");
  auto refusal = SignInRequired(app, req, Identify(app, req));
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 302);
  EXPECT_EQ(HeaderOf(*refusal, "Location"), "/login?returnTo=%2Fprofile%3Ftab%3Da%26b%3D1");
}

TEST(Guard, JsonAndXhrCallersGet401WithTheSignInUrl) {
  App app = MakeApp();
  http::Request json_req = Req("GET", "/profile");
  json_req.headers["accept"] = "application/json";
  auto refusal = SignInRequired(app, json_req, Identify(app, json_req));
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 401);
  EXPECT_NE(refusal->body.find(R"("signInUrl":"/login?returnTo=%2Fprofile")"), std::string::npos)
      << refusal->body;
  http::Request xhr = Req("POST", "/profile");
  xhr.headers["x-requested-with"] = "XMLHttpRequest";
  auto xhr_refusal = SignInRequired(app, xhr, Identify(app, xhr));
  ASSERT_TRUE(xhr_refusal.has_value());
  EXPECT_EQ(xhr_refusal->status, 401);
  EXPECT_NE(xhr_refusal->body.find("signInUrl"), std::string::npos);
}

TEST(Guard, FormPostGetsASessionExpiredPageNotASilentRedirect) {
  App app = MakeApp();
  http::Request req = Req("POST", "/profile");
  auto refusal = SignInRequired(app, req, Identify(app, req));
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 401);
  EXPECT_NE(refusal->body.find("Your session has expired"), std::string::npos);
  EXPECT_NE(refusal->body.find("not saved"), std::string::npos);
  EXPECT_NE(refusal->body.find("href=\"/login?returnTo=%2Fprofile\">Sign in again"),
            std::string::npos);
}

TEST(Guard, ExpiredCookieIsClearedAndRefused) {
  App app = MakeApp();
  http::Request req = Req("GET", "/dashboard");
  int64_t long_ago = session::NowSeconds() - 1801;  // past the 30-minute idle window
  req.cookies[app.sessions.cookie_name()] =
      app.sessions.Encode(app.sessions.Start("00u1", "Ada", "", long_ago));
  Visitor v = Identify(app, req);
  EXPECT_FALSE(v.session.has_value());
  auto refusal = SignInRequired(app, req, v);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 302);
  EXPECT_NE(HeaderOf(*refusal, "Set-Cookie").find("userdesk_session=; "), std::string::npos);
}

TEST(Guard, ASessionPastHalfItsIdleWindowIsReissued) {
  App app = MakeApp();
  http::Request req = Req("GET", "/dashboard");
  int64_t then = session::NowSeconds() - 1000;  // idle window 1800: past half of it
  req.cookies[app.sessions.cookie_name()] =
      app.sessions.Encode(app.sessions.Start("00u1", "Ada", "", then));
  Visitor v = Identify(app, req);
  ASSERT_TRUE(v.session.has_value());
  ASSERT_TRUE(v.renewal.has_value());
  EXPECT_GE(v.session->refreshed_at, then + 1000);
  EXPECT_EQ(v.session->issued_at, then);  // the absolute lifetime does not move
  http::Response page = http::Response::Html(200, "ok");
  v.Finish(&page);
  EXPECT_NE(HeaderOf(page, "Set-Cookie").find("Max-Age=1800"), std::string::npos);
}

}  // namespace
}  // namespace userdesk::app
