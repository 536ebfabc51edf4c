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

TEST(ErrorPage, FallsBackToPlainHtmlWhenTheTemplateIsMissing) {
  App app = MakeApp({{"layout", "{{{content}}}"}});
  http::Request req;
  http::Response res = ErrorResponse(app, MakeError(ErrorCode::kNotFound, ""), req);
  EXPECT_EQ(res.status, 404);
  EXPECT_NE(res.body.find("<h1>Page not found</h1>"), std::string::npos);
}

}  // namespace
}  // namespace userdesk::app
