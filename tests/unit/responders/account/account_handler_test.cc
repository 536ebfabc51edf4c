// The account responder without FastCGI or Okta: the forms, their CSRF cookie, the refusals and
// the checks that answer before any Okta call. (Okta's side: tests/integration/account_stack.)
#include "responders/account/account_handler.h"

#include <gtest/gtest.h>

#include <regex>

#include "http/cgi_parse.h"
#include "unit/responders/handler_testing.h"

namespace userdesk::responders::account {
namespace {

app::App MakeApp() { return testing::OfflineApp("account"); }

http::Request Get(std::string path) { return testing::GetRequest(std::move(path)); }

// A browser's post of the form it was just served at path, with these fields.
http::Request PostFrom(const http::Response& form, std::string path, http::Params fields) {
  http::Request r;
  r.method = "POST";
  r.path = std::move(path);
  r.headers["origin"] = testing::kTestOrigin;
  std::string cookie = testing::HeaderOf(form, "Set-Cookie");
  std::string pair = cookie.substr(0, cookie.find(';'));
  size_t eq = pair.find('=');
  if (eq != std::string::npos) r.cookies[pair.substr(0, eq)] = pair.substr(eq + 1);
  std::smatch m;
  if (std::regex_search(form.body, m, std::regex(R"(name="csrf" value="([^"]+)\")"))) {
    fields.emplace("csrf", m[1]);
  }
  r.form = std::move(fields);
  return r;
}

TEST(AccountHandler, TheRegisterFormHasItsFieldsATokenAndItsCookie) {
  app::App app = MakeApp();
  http::Response form = MakeHandler(app)(Get("/register"));
  EXPECT_EQ(form.status, 200);
  EXPECT_TRUE(testing::Contains(testing::HeaderOf(form, "Set-Cookie"), "userdesk_form=v1."));
  EXPECT_TRUE(testing::Contains(testing::HeaderOf(form, "Set-Cookie"), "SameSite=Strict"));
  EXPECT_EQ(testing::HeaderOf(form, "Cache-Control"), "private, no-store");
  EXPECT_TRUE(testing::Contains(form.body, "<title>Register - userdesk</title>"));
  for (
      const char* input :
      {R"(<input id="firstName" name="firstName" type="text")",
       R"(<input id="lastName" name="lastName" type="text")",
       R"(<input id="email" name="email" type="email")",
       R"(<input id="password" name="password" type="password" value="" maxlength="72" autocomplete="new-password" required)"}) {
    EXPECT_TRUE(testing::Contains(form.body, input)) << input << "\n" << form.body;
  }
  EXPECT_TRUE(
      std::regex_search(form.body, std::regex(R"(name="csrf" value="[A-Za-z0-9_-]{40,}")")));
}

TEST(AccountHandler, ASignedInUserIsSentHomeFromRegisterButMayResetAPassword) {
  app::App app = MakeApp();
  fcgi::Handler handler = MakeHandler(app);
  std::string cookie = app.sessions.Encode(testing::SignedInSession());
  http::Request get = Get("/register");
  get.cookies[app.sessions.cookie_name()] = cookie;
  http::Response r = handler(get);
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(testing::HeaderOf(r, "Location"), "/");
  http::Request post = get;
  post.method = "POST";
  EXPECT_EQ(handler(post).status, 303);
  http::Request reset = Get("/reset-password");
  reset.cookies[app.sessions.cookie_name()] = cookie;
  EXPECT_EQ(handler(reset).status, 200);
}

TEST(AccountHandler, AForeignOriginGetsThePlainRefusalNotTheFilledForm) {
  app::App app = MakeApp();
  fcgi::Handler handler = MakeHandler(app);
  http::Response form = handler(Get("/register"));
  http::Request post = PostFrom(form, "/register", {{"firstName", "Eve-typed"}});
  post.headers["origin"] = "https://evil.example";
  http::Response r = handler(post);
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(testing::Contains(r.body, "Eve-typed"));
  post.headers.erase("origin");  // no Origin and no Referer
  EXPECT_EQ(handler(post).status, 403);
}

TEST(AccountHandler, AMissingTokenOnASameOriginPostGivesTheFormBackWithAFreshToken) {
  app::App app = MakeApp();
  fcgi::Handler handler = MakeHandler(app);
  http::Response form = handler(Get("/register"));
  http::Request post =
      PostFrom(form, "/register", {{"firstName", "Ada"}, {"password", "Typed-Secret-1"}});
  post.cookies.clear();  // the cookie expired or was cleared
  http::Response r = handler(post);
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(testing::Contains(r.body, "This form had expired, so nothing was sent."));
  EXPECT_TRUE(testing::Contains(r.body, R"(name="firstName" type="text" value="Ada")"));
  EXPECT_FALSE(testing::Contains(r.body, "Typed-Secret-1"));
  EXPECT_TRUE(testing::Contains(testing::HeaderOf(r, "Set-Cookie"), "userdesk_form="))
      << "a fresh token";

  http::Request wrong = PostFrom(form, "/register", {{"firstName", "Ada"}});
  wrong.form.find("csrf")->second = "not-the-token";
  EXPECT_EQ(handler(wrong).status, 403);
}

TEST(AccountHandler, MissingAndMalformedFieldsAreAnsweredBeforeAnyOktaCall) {
  app::App app = MakeApp();
  fcgi::Handler handler = MakeHandler(app);
  http::Response form = handler(Get("/register"));
  http::Response r =
      handler(PostFrom(form, "/register", {{"lastName", "<b>Lovelace</b>"}, {"email", "ada@"}}));
  EXPECT_EQ(r.status, 422);
  EXPECT_TRUE(testing::Contains(r.body, "Please correct the fields marked below."));
  EXPECT_TRUE(testing::Contains(
      r.body, R"(<p class="field-error" id="firstName-error">Enter your first name.</p>)"));
  EXPECT_TRUE(testing::Contains(
      r.body, R"(<p class="field-error" id="password-error">Enter your password.</p>)"));
  EXPECT_TRUE(testing::Contains(r.body, "Enter an email address like name@example.com."));
  EXPECT_TRUE(testing::Contains(r.body, "value=\"&lt;b&gt;Lovelace&lt;/b&gt;\""))
      << "kept, escaped";
  EXPECT_TRUE(testing::Contains(r.body, R"(aria-invalid="true" aria-describedby="email-error")"));

  http::Response reset_form = handler(Get("/reset-password"));
  http::Response bad = handler(PostFrom(reset_form, "/reset-password", {{"email", "nobody"}}));
  EXPECT_EQ(bad.status, 422);
  EXPECT_TRUE(testing::Contains(bad.body, R"(name="email" type="email" value="nobody")"));
}

TEST(AccountHandler, EveryWellFormedResetRequestGetsTheSamePage) {
  app::App app = MakeApp();
  fcgi::Handler handler = MakeHandler(app);
  http::Response form = handler(Get("/reset-password"));
  http::Response a = handler(PostFrom(form, "/reset-password", {{"email", "ada@example.com"}}));
  http::Response b = handler(PostFrom(form, "/reset-password", {{"email", "zed@example.org"}}));
  // the same address again, within its cooldown: nothing is queued, and nothing shows it
  http::Response c = handler(PostFrom(form, "/reset-password", {{"email", " ADA@example.com"}}));
  EXPECT_EQ(a.status, 200);
  for (const http::Response* other : {&b, &c}) {
    EXPECT_EQ(a.status, other->status);
    EXPECT_EQ(a.body, other->body);
    EXPECT_EQ(a.headers, other->headers);
  }
  EXPECT_TRUE(testing::Contains(a.body, "If an account exists for that address"));
  EXPECT_TRUE(testing::Contains(a.body, "the current password keeps working"));
  EXPECT_TRUE(testing::Contains(a.body, "every 15 minutes at most")) << a.body;
}

TEST(AccountHandler, WithTheCooldownOffTheAnswerDoesNotMentionIt) {
  app::App app = MakeApp();
  app.config.reset_email_cooldown_minutes = 0;
  fcgi::Handler handler = MakeHandler(app);
  http::Response form = handler(Get("/reset-password"));
  http::Response a = handler(PostFrom(form, "/reset-password", {{"email", "ada@example.com"}}));
  EXPECT_EQ(a.status, 200);
  EXPECT_FALSE(testing::Contains(a.body, "minutes at most")) << a.body;
  EXPECT_TRUE(testing::Contains(a.body, "ask for another link"));
}

TEST(AccountHandler, OtherPathsAndMethods) {
  app::App app = MakeApp();
  fcgi::Handler handler = MakeHandler(app);
  EXPECT_EQ(handler(Get("/register/extra")).status, 404);
  http::Request put = Get("/register");
  put.method = "PUT";
  http::Response r = handler(put);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(testing::HeaderOf(r, "Allow"), "GET, HEAD, POST");
}

}  // namespace
}  // namespace userdesk::responders::account
