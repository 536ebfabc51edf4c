#include <gtest/gtest.h>

#include <new>
#include <stdexcept>

#include "fcgi/fcgi_server.h"

namespace userdesk::fcgi {
namespace {

http::Response PageFor(const Error& e, const http::Request&) {
  // the error page sees the code, and the detail for its log, never the browser
  return http::Response::Text(HttpStatus(e.code), "error page: " + std::string(ToString(e.code)));
}

TEST(HandleSafely, PassesThroughNormalResponses) {
  http::Request req;
  auto res = HandleSafely([](const http::Request&) { return http::Response::Text(200, "ok"); },
                          PageFor, req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.body, "ok");
}

TEST(HandleSafely, ExceptionsBecomeTheErrorPage) {
  http::Request req;
  auto threw = HandleSafely(
      [](const http::Request&) -> http::Response { throw std::runtime_error("boom at x.cc:1"); },
      PageFor, req);
  EXPECT_EQ(threw.status, 500);
  EXPECT_EQ(threw.body, "error page: internal");
  auto oom = HandleSafely([](const http::Request&) -> http::Response { throw std::bad_alloc(); },
                          PageFor, req);
  EXPECT_EQ(oom.status, 500);
  auto odd = HandleSafely([](const http::Request&) -> http::Response { throw 42; }, PageFor, req);
  EXPECT_EQ(odd.status, 500);
}

}  // namespace
}  // namespace userdesk::fcgi
