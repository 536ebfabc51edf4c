#include "app/csrf.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace userdesk::app
