#include "mini_okta/server/request_params.h"

#include <gtest/gtest.h>
#include <httplib.h>

namespace userdesk::mini_okta {
namespace {

httplib::Request Make(std::string target, std::string body, std::string type) {
  httplib::Request req;
  req.target = std::move(target);
  req.body = std::move(body);
  if (!type.empty()) req.headers.emplace("Content-Type", type);
  return req;
}

TEST(RequestParams, PlusIsASpaceInQueriesAndForms) {
  auto req = Make("/oauth2/default/v1/authorize?scope=openid+profile+email&x=%2B1", "", "");
  EXPECT_EQ(Param(req, "scope"), "openid profile email");
  EXPECT_EQ(Param(req, "x"), "+1");
  auto form = Make("/login/signin", "username=ada%40example.com&password=correct+horse+%2B",
                   "application/x-www-form-urlencoded");
  EXPECT_EQ(Param(form, "password"), "correct horse +");
  EXPECT_EQ(Param(form, "username"), "ada@example.com");
}

TEST(RequestParams, CountsRepeatsAcrossQueryAndBody) {
  auto req = Make("/token?client_id=a", "client_id=b&code=c", "application/x-www-form-urlencoded");
  EXPECT_EQ(ParamCount(req, "client_id"), 2u);
  EXPECT_TRUE(HasParam(req, "code"));
  EXPECT_FALSE(HasParam(req, "state"));
  EXPECT_EQ(Param(req, "state"), "");
}

TEST(RequestParams, IgnoresBodiesThatAreNotForms) {
  auto req = Make("/api/v1/users", "password=x", "application/json");
  EXPECT_FALSE(HasParam(req, "password"));
}

}  // namespace
}  // namespace userdesk::mini_okta
