// http_client's pure parts: Basic client authentication (RFC 6749 §2.3.1), the loggable URL, and
// requests refused before any socket is opened. Calls over the network are in tests/provider.
#include "http/http_client.h"

#include <gtest/gtest.h>

#include "crypto/base64url.h"

namespace userdesk::http {
namespace {

std::string DecodedBasic(const std::string& header) {
  EXPECT_EQ(header.rfind("Basic ", 0), 0u) << header;
  return crypto::Base64Decode(header.substr(6)).value_or("<not base64>");
}

TEST(BasicAuthorizationTest, PlainCredentials) {
  EXPECT_EQ(BasicAuthorization("0oaclient", "secret"), "Basic MG9hY2xpZW50OnNlY3JldA==");
}

// RFC 6749 §2.3.1: each part is form-urlencoded first, so a ':' in the id cannot move the split.
TEST(BasicAuthorizationTest, FormUrlEncodesIdAndSecretBeforeBase64) {
  EXPECT_EQ(DecodedBasic(BasicAuthorization("a:b", "p@ss word+/=")), "a%3Ab:p%40ss+word%2B%2F%3D");
  EXPECT_EQ(DecodedBasic(BasicAuthorization("id", "")), "id:");
  EXPECT_EQ(DecodedBasic(BasicAuthorization("id", "é")), "id:%C3%A9");
}

TEST(BasicAuthorizationTest, LongCredentialsStayOnOneLine) {
  std::string header = BasicAuthorization(std::string(100, 'i'), std::string(100, 's'));
  EXPECT_EQ(header.find('\n'), std::string::npos);
  EXPECT_EQ(DecodedBasic(header), std::string(100, 'i') + ":" + std::string(100, 's'));
}

TEST(LoggableUrlTest, KeepsSchemeHostPortAndPath) {
  EXPECT_EQ(LoggableUrl("https://op.example:8443/oauth2/v1/token"),
            "https://op.example:8443/oauth2/v1/token");
  EXPECT_EQ(LoggableUrl("http://h"), "http://h");
}

TEST(LoggableUrlTest, DropsQueryFragmentAndUserinfo) {
  EXPECT_EQ(LoggableUrl("https://op.example/authorize?code=abc&state=x"),
            "https://op.example/authorize");
  EXPECT_EQ(LoggableUrl("https://op.example/cb#access_token=abc"), "https://op.example/cb");
  EXPECT_EQ(LoggableUrl("https://user:pw@op.example/p?q"), "https://op.example/p");
  EXPECT_EQ(LoggableUrl("https://user:pw@op.example?q"), "https://op.example");
}

ErrorCode RefusedWith(OutgoingRequest request) {
  auto res = Fetch(request, ClientOptions{});
  EXPECT_FALSE(res.ok());
  return res.ok() ? ErrorCode::kInternal : res.error().code;
}

TEST(FetchRefusalTest, OnlyHttpAndHttps) {
  for (const char* url : {"file:///etc/passwd", "gopher://h/", "ftp://h/x", "//h/x", "h/x", ""}) {
    OutgoingRequest request;
    request.url = url;
    EXPECT_EQ(RefusedWith(request), ErrorCode::kInvalidArgument) << url;
  }
}

TEST(FetchRefusalTest, NoHeaderInjection) {
  OutgoingRequest request;
  request.url = "http://127.0.0.1:9/";
  request.headers = {{"X-A", "v\r\nX-Injected: 1"}};
  EXPECT_EQ(RefusedWith(request), ErrorCode::kInvalidArgument);
  request.headers = {{"X-A: b", "v"}};
  EXPECT_EQ(RefusedWith(request), ErrorCode::kInvalidArgument);
  request.headers = {{"", "v"}};
  EXPECT_EQ(RefusedWith(request), ErrorCode::kInvalidArgument);
}

TEST(FetchRefusalTest, MalformedMethodsUrlsAndBodies) {
  OutgoingRequest request;
  request.url = "http://127.0.0.1:9/";
  request.method = "GET /x HTTP/1.1\r\n";
  EXPECT_EQ(RefusedWith(request), ErrorCode::kInvalidArgument);
  request.method = "";
  EXPECT_EQ(RefusedWith(request), ErrorCode::kInvalidArgument);
  request.method = "GET";
  request.body = "x";
  EXPECT_EQ(RefusedWith(request), ErrorCode::kInvalidArgument);
  request.body.clear();
  request.url = "http://127.0.0.1:9/a b";
  EXPECT_EQ(RefusedWith(request), ErrorCode::kInvalidArgument);
  request.url = "http://127.0.0.1:9/a\nb";
  EXPECT_EQ(RefusedWith(request), ErrorCode::kInvalidArgument);
}

TEST(IncomingResponseTest, HeaderIsEmptyWhenAbsent) {
  IncomingResponse res;
  res.headers["www-authenticate"] = "Bearer error=\"invalid_token\"";
  EXPECT_EQ(res.Header("www-authenticate"), "Bearer error=\"invalid_token\"");
  EXPECT_EQ(res.Header("location"), "");
}

}  // namespace
}  // namespace userdesk::http
