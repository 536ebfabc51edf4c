#include <gtest/gtest.h>

#include "http/cgi_parse.h"
#include "http/request.h"
#include "http/response.h"

namespace userdesk::http {
namespace {

TEST(ParseUrlEncoded, DecodesPlusPercentAndRepeats) {
  Params p = ParseUrlEncoded("name=J%C3%BCrgen+M%26M&tag=a&tag=b&empty=&returnTo=%2Fprofile");
  EXPECT_EQ(p.find("name")->second, "Jürgen M&M");
  EXPECT_EQ(p.count("tag"), 2u);
  EXPECT_EQ(p.find("empty")->second, "");
  EXPECT_EQ(p.find("returnTo")->second, "/profile");
}

TEST(ParseUrlEncoded, SurvivesGarbage) {
  for (const char* junk : {"%", "%%%", "=", "&&&", "a=%ZZ", "=value", "\xff\xfe=1"}) {
    Params p = ParseUrlEncoded(junk);  // must not crash or throw
    EXPECT_LE(p.size(), 3u) << junk;
  }
  EXPECT_TRUE(ParseUrlEncoded("").empty());
}

TEST(ParseCookieHeader, TrimsSpacesAroundNamesAndValues) {
  auto c = ParseCookieHeader("a=1;  sid=3 ; b=4");
  EXPECT_EQ(c["sid"], "3");
  EXPECT_EQ(c["b"], "4");
}

TEST(ParseCookieHeader, SplitsPairs) {
  auto c = ParseCookieHeader("a=1; userdesk_session=v1.abc.def; theme=dark");
  EXPECT_EQ(c["a"], "1");
  EXPECT_EQ(c["userdesk_session"], "v1.abc.def");
  EXPECT_EQ(c["theme"], "dark");
}

TEST(ContentLength, EnforcesCap) {
  EXPECT_EQ(CheckContentLength("", 1024), BodySize::kNone);
  EXPECT_EQ(CheckContentLength("0", 1024), BodySize::kNone);
  EXPECT_EQ(CheckContentLength("1024", 1024), BodySize::kFits);
  EXPECT_EQ(CheckContentLength("1025", 1024), BodySize::kTooLarge);
  EXPECT_EQ(CheckContentLength("99999999999999999999999", 1024), BodySize::kTooLarge);
  EXPECT_EQ(CheckContentLength("12x", 1024), BodySize::kInvalid);
  EXPECT_EQ(CheckContentLength("-1", 1024), BodySize::kInvalid);
}

TEST(Response, SerializesCgiWithStatusAndCookies) {
  Response r = Response::Redirect("/dashboard", 303);
  r.Cookie(SetCookie{"n", "v", "/", 60, true, false, SameSite::kLax});
  std::string out = SerializeCgi(r, false);
  EXPECT_EQ(out.rfind("Status: 303 See Other\r\n", 0), 0u);
  EXPECT_NE(out.find("Location: /dashboard\r\n"), std::string::npos);
  EXPECT_NE(out.find("Set-Cookie: n=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax\r\n"),
            std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 4), "\r\n\r\n");
}

TEST(Response, AHeaderSetAgainReplacesTheFirstButCookiesAddUp) {
  Response r = Response::Html(200, "<p>hi</p>");
  r.Header("Cache-Control", "no-cache");
  r.Header("cache-control", "no-store");
  r.Cookie(SetCookie{"a", "1", "/", 60, true, false, SameSite::kLax});
  r.Cookie(SetCookie{"b", "2", "/", 60, true, false, SameSite::kLax});
  std::string out = SerializeCgi(r, false);
  EXPECT_EQ(out.find("no-cache"), std::string::npos) << out;
  EXPECT_NE(out.find("cache-control: no-store\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("Set-Cookie: a=1"), std::string::npos);
  EXPECT_NE(out.find("Set-Cookie: b=2"), std::string::npos);
}

TEST(Response, HeadOmitsBodyAndHeadersCannotSplit) {
  Response r = Response::Html(200, "<p>hi</p>");
  r.Header("X-Test", "a\r\nSet-Cookie: evil=1");
  std::string out = SerializeCgi(r, true);
  EXPECT_EQ(out.find("<p>hi</p>"), std::string::npos);
  EXPECT_EQ(out.find("\r\nSet-Cookie"), std::string::npos);
}

TEST(Response, RefusesUnsafeCookieValues) {
  Response r;
  r.Cookie(SetCookie{"n", "a;b", "/", -1, true, false, SameSite::kLax});
  EXPECT_TRUE(r.headers.empty());
}

TEST(Request, WantsJsonOnlyWhenAskedForJsonNotHtml) {
  Request r;
  r.headers["accept"] = "application/json";
  EXPECT_TRUE(r.WantsJson());
  r.headers["accept"] = "text/html,application/xhtml+xml,application/json;q=0.9";
  EXPECT_FALSE(r.WantsJson());
}

TEST(AppendQuery, StartsOrExtendsTheQueryWithEncodedPairs) {
  EXPECT_EQ(AppendQuery("https://a/cb", {{"code", "x y"}, {"state", "s&t"}}),
            "https://a/cb?code=x+y&state=s%26t");
  EXPECT_EQ(AppendQuery("/login?returnTo=%2F", {{"login_hint", "ada@example.com"}}),
            "/login?returnTo=%2F&login_hint=ada%40example.com");
  EXPECT_EQ(AppendQuery("/x", {}), "/x");
}

}  // namespace
}  // namespace userdesk::http

namespace userdesk::http {
namespace {

TEST(FormUrlCoding, EncodesForQueriesAndDecodesPlus) {
  EXPECT_EQ(FormUrlEncode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(FormUrlEncode("a b&c=d/é+"), "a+b%26c%3Dd%2F%C3%A9%2B");
  EXPECT_EQ(FormUrlDecode("a+b%2Bc%3a"), "a b+c:");
  EXPECT_EQ(FormUrlDecode(FormUrlEncode("x y:z/%")), "x y:z/%");
}

}  // namespace
}  // namespace userdesk::http
