#include "app/error_page.h"

#include <gtest/gtest.h>

namespace userdesk::app {
namespace {

App MakeApp(std::map<std::string, std::string, std::less<>> sources) {
  config::Config cfg;
  cfg.app_secret = "0123456789abcdef-test";
  auto templates = view::Templates::FromSources(std::move(sources));
  EXPECT_TRUE(templates.ok());
  return App{"test", cfg, std::move(*templates),
             session::SessionCodec(session::CodecOptions{cfg.app_secret, "", false, 60})};
}

TEST(ErrorPage, NeverShowsTheInternalDetail) {
  App app = MakeApp({{"layout", "<title>{{title}}</title>{{{content}}}"},
                     {"errors/error", "<h1>{{heading}}</h1><p>{{message}}</p>"}});
  http::Request req;
  req.method = "GET";
  req.path = "/x";
  http::Response res =
      ErrorResponse(app, MakeError(ErrorCode::kInternal, "std::bad_alloc at secret.cc:42"), req);
  EXPECT_EQ(res.status, 500);
  EXPECT_NE(res.body.find("Something went wrong"), std::string::npos);
  EXPECT_EQ(res.body.find("secret.cc"), std::string::npos);
  EXPECT_EQ(res.body.find("bad_alloc"), std::string::npos);
}

TEST(ErrorPage, StatusFollowsTheCode) {
  App app = MakeApp({{"layout", "{{{content}}}"}, {"errors/error", "{{heading}}"}});
  http::Request req;
  EXPECT_EQ(ErrorResponse(app, MakeError(ErrorCode::kPayloadTooLarge, ""), req).status, 413);
  EXPECT_EQ(ErrorResponse(app, MakeError(ErrorCode::kCsrfMismatch, ""), req).status, 403);
  EXPECT_EQ(ErrorResponse(app, MakeError(ErrorCode::kUpstreamUnavailable, ""), req).status, 502);
  EXPECT_EQ(ErrorResponse(app, MakeError(ErrorCode::kUnavailable, ""), req).status, 503);
}

std::string CacheControl(const http::Response& r) {
  for (const auto& [k, v] : r.headers) {
    if (k == "Cache-Control") return v;
  }
  return "";
}

// Every error page seen while signed in shows the name and the sign-out form's CSRF token in
// its header: no cache may keep it, whatever the code.
TEST(ErrorPage, EveryPageShownWithASessionIsPrivateAndNeverStored) {
  App app = MakeApp({{"layout", "{{#signed_in}}{{user_name}} {{csrf}}{{/signed_in}}{{{content}}}"},
                     {"errors/error", "<h1>{{heading}}</h1>"}});
  session::Session s = app.sessions.Start("00u1", "Ada", "", session::NowSeconds());
  http::Request signed_in;
  signed_in.method = "GET";
  signed_in.path = "/x";
  signed_in.cookies[app.sessions.cookie_name()] = app.sessions.Encode(s);
  http::Request anonymous = signed_in;
  anonymous.cookies.clear();
  for (ErrorCode code :
       {ErrorCode::kInvalidArgument, ErrorCode::kUnauthenticated, ErrorCode::kPermissionDenied,
        ErrorCode::kCsrfMismatch, ErrorCode::kNotFound, ErrorCode::kAlreadyExists,
        ErrorCode::kPayloadTooLarge, ErrorCode::kUnprocessable, ErrorCode::kRateLimited,
        ErrorCode::kUpstreamUnavailable, ErrorCode::kUnavailable, ErrorCode::kDeadlineExceeded,
        ErrorCode::kInternal}) {
    http::Response page = ErrorResponse(app, MakeError(code, "detail"), signed_in, Task::kSignOut,
                                        PageAction{"/a", "A"});
    EXPECT_NE(page.body.find("Ada " + s.csrf), std::string::npos) << ToString(code);
    EXPECT_EQ(CacheControl(page), "private, no-store") << ToString(code);
    http::Response plain = ErrorResponse(app, MakeError(code, "detail"), signed_in);
    EXPECT_EQ(CacheControl(plain), "private, no-store") << ToString(code);
    EXPECT_EQ(CacheControl(ErrorResponse(app, MakeError(code, ""), anonymous)), "no-cache")
        << ToString(code);
  }
}

TEST(ErrorPage, FallsBackToPlainHtmlWhenTheTemplateIsMissing) {
  App app = MakeApp({{"layout", "{{{content}}}"}});
  http::Request req;
  http::Response res = ErrorResponse(app, MakeError(ErrorCode::kNotFound, ""), req);
  EXPECT_EQ(res.status, 404);
  EXPECT_NE(res.body.find("<h1>Page not found</h1>"), std::string::npos);
}

}  // namespace
}  // namespace userdesk::app
