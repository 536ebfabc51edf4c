#include "responders/home/home_handler.h"

#include <gtest/gtest.h>

#include "unit/responders/handler_testing.h"

namespace userdesk::responders::home {
namespace {

app::App MakeApp() { return testing::AppWithTemplates("home"); }

http::Request Get(std::string path) { return testing::GetRequest(std::move(path)); }

TEST(HomePage, AnonymousOffersSignInRegisterAndReset) {
  app::App app = MakeApp();
  http::Response res = MakeHandler(app)(Get("/"));
  EXPECT_EQ(res.status, 200);
  EXPECT_NE(res.body.find("<title>Home - userdesk</title>"), std::string::npos);
  EXPECT_NE(res.body.find("Welcome to userdesk"), std::string::npos);
  EXPECT_NE(res.body.find("href=\"/login\">Sign in</a>"), std::string::npos);
  EXPECT_NE(res.body.find("href=\"/register\""), std::string::npos);
  EXPECT_NE(res.body.find("href=\"/reset-password\""), std::string::npos);
  EXPECT_EQ(res.body.find("Signed in as"), std::string::npos);
  EXPECT_EQ(res.body.find("Sign out"), std::string::npos);
}

TEST(HomePage, SignedInShowsNameProfileLinkAndSignOut) {
  app::App app = MakeApp();
  session::Session s = testing::SignedInSession("Ada <Lovelace>");
  http::Request req = Get("/");
  req.cookies[app.sessions.cookie_name()] = app.sessions.Encode(s);
  http::Response res = MakeHandler(app)(req);
  EXPECT_EQ(res.status, 200);
  EXPECT_NE(res.body.find("Signed in as <a href=\"/profile\"><bdi>Ada &lt;Lovelace&gt;</bdi></a>"),
            std::string::npos);
  EXPECT_NE(res.body.find("Welcome back, <bdi>Ada &lt;Lovelace&gt;</bdi>."), std::string::npos);
  // signing out is a POST carrying the session's CSRF secret
  EXPECT_NE(res.body.find("action=\"/logout\""), std::string::npos);
  EXPECT_NE(res.body.find("name=\"csrf\" value=\"" + s.csrf + "\""), std::string::npos);
  EXPECT_NE(res.body.find("href=\"/dashboard\""), std::string::npos);
  EXPECT_EQ(res.body.find("Ada <Lovelace>"), std::string::npos);
  bool no_store = false;
  for (auto& [k, v] : res.headers) no_store |= (k == "Cache-Control" && v == "private, no-store");
  EXPECT_TRUE(no_store);
}

TEST(HomePage, ForgedCookieIsAnonymousNotAnError) {
  app::App app = MakeApp();
  http::Request req = Get("/");
  req.cookies[app.sessions.cookie_name()] = "v1.eyJzdWIiOiJ4In0.forged";
  http::Response res = MakeHandler(app)(req);
  EXPECT_EQ(res.status, 200);
  EXPECT_NE(res.body.find(">Sign in</a>"), std::string::npos);
}

TEST(HomePage, UnknownPathIsTheAppsNotFoundPage) {
  app::App app = MakeApp();
  http::Response res = MakeHandler(app)(Get("/no/such/page"));
  EXPECT_EQ(res.status, 404);
  EXPECT_NE(res.body.find("Page not found"), std::string::npos);
  EXPECT_NE(res.body.find("<title>Page not found - userdesk</title>"), std::string::npos);
}

// A name whose bidi controls would turn "Signed in as" around: the session drops them, and the
// header isolates whatever direction the name has (<bdi>), so it cannot reorder the rest.
TEST(HomePage, ANameCannotReorderTheHeader) {
  app::App app = MakeApp();
  session::Session s = testing::SignedInSession(
      "\xe2\x80\xae"
      "nimdA \xd7\xa9\xd7\xa8\xd7\x94");
  http::Request req = Get("/");
  req.cookies[app.sessions.cookie_name()] = app.sessions.Encode(s);
  http::Response res = MakeHandler(app)(req);
  EXPECT_NE(res.body.find("<a href=\"/profile\"><bdi>nimdA \xd7\xa9\xd7\xa8\xd7\x94</bdi></a>"),
            std::string::npos)
      << res.body;
  EXPECT_EQ(res.body.find("\xe2\x80\xae"), std::string::npos);
}

TEST(HomePage, ANotFoundPageSeenSignedInIsNeverStored) {
  app::App app = MakeApp();
  http::Request req = Get("/no/such/page");
  req.cookies[app.sessions.cookie_name()] = app.sessions.Encode(testing::SignedInSession());
  http::Response res = MakeHandler(app)(req);
  EXPECT_EQ(res.status, 404);
  EXPECT_NE(res.body.find("Signed in as"), std::string::npos);
  EXPECT_EQ(testing::HeaderOf(res, "Cache-Control"), "private, no-store");
  EXPECT_EQ(testing::HeaderOf(MakeHandler(app)(Get("/no/such/page")), "Cache-Control"), "no-cache");
}

// The path is the requester's choice: ESC, NUL and the rest reach the log escaped, never raw.
TEST(HomePage, APathWithControlCharactersIsLoggedEscaped) {
  app::App app = MakeApp();
  http::Request req = Get(std::string("/\x1b[2J\0\r\nFAKE LINE", 17));
  req.request_id = "r1";
  ::testing::internal::CaptureStderr();
  http::Response res = MakeHandler(app)(req);
  std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(res.status, 404);
  EXPECT_TRUE(testing::Contains(log, "GET /\\x1b[2J\\x00\\x0d\\x0aFAKE LINE: no route id=r1\n"))
      << log;
  EXPECT_EQ(log.find('\x1b'), std::string::npos);
  EXPECT_EQ(log.find('\0'), std::string::npos);
  EXPECT_EQ(log.find("\nFAKE"), std::string::npos);
}

TEST(HomePage, UnknownPathAsksingForJsonGetsJson) {
  app::App app = MakeApp();
  http::Request req = Get("/api/nope");
  req.headers["accept"] = "application/json";
  http::Response res = MakeHandler(app)(req);
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body.rfind("{\"error\":\"not_found\"", 0), 0u);
}

TEST(HomePage, PostIsMethodNotAllowed) {
  app::App app = MakeApp();
  http::Request req = Get("/");
  req.method = "POST";
  http::Response res = MakeHandler(app)(req);
  EXPECT_EQ(res.status, 405);
}

}  // namespace
}  // namespace userdesk::responders::home
