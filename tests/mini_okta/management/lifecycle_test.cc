// User lifecycle operations and DELETE over real HTTP: allowed transitions, Okta's refusals,
// activation and reset links, and that only ACTIVE users can sign in.
#include <gtest/gtest.h>

#include "mini_okta/test_server.h"

namespace userdesk::mini_okta {
namespace {

using testing::ErrorCauses;
using testing::ExpectOktaError;
using testing::ParseBody;
using testing::ServerHarness;
using testing::StringAt;

class LifecycleTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Start(); }
  httplib::Result Op(const std::string& id, const std::string& op) {
    return h_.ApiPost("/api/v1/users/" + id + "/lifecycle/" + op);
  }
  std::string Status(const std::string& id) { return h_.store().users().Find(id)->status; }
  int SignIn(const std::string& login) {
    auto res = h_.Client().Post("/api/v1/authn",
                                R"({"username":")" + login + R"(","password":"Str0ng-Passphrase"})",
                                "application/json");
    return res ? res->status : 0;
  }
  ServerHarness h_;
};

TEST_F(LifecycleTest, SuspendAndUnsuspend) {
  std::string id = h_.CreateUser("s@example.com");
  auto res = Op(id, "suspend");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "{}");
  EXPECT_EQ(Status(id), "SUSPENDED");
  EXPECT_EQ(SignIn("s@example.com"), 401);
  ExpectOktaError(Op(id, "suspend"), 400, "E0000001");
  EXPECT_EQ(Op(id, "unsuspend")->status, 200);
  EXPECT_EQ(Status(id), "ACTIVE");
  EXPECT_EQ(SignIn("s@example.com"), 200);
  auto again = Op(id, "unsuspend");
  ExpectOktaError(again, 400, "E0000001");
  EXPECT_EQ(ErrorCauses(again),
            std::vector<std::string>{"Cannot unsuspend a user that is not suspended"});
}

TEST_F(LifecycleTest, ActivateStagedUserAndRefuseActiveOne) {
  std::string id = h_.CreateUser("a@example.com", "Str0ng-Passphrase", /*activate=*/false);
  EXPECT_EQ(SignIn("a@example.com"), 401);  // STAGED
  auto res = h_.ApiPost("/api/v1/users/" + id + "/lifecycle/activate?sendEmail=false");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  json::Document doc = ParseBody(res);
  std::string token = StringAt(doc, "activationToken");
  EXPECT_EQ(StringAt(doc, "activationUrl"), h_.server().base_url() + "/welcome/" + token);
  EXPECT_EQ(Status(id), "ACTIVE");  // it has a password
  EXPECT_FALSE(h_.store().users().Find(id)->activated.empty());
  EXPECT_EQ(SignIn("a@example.com"), 200);
  EXPECT_EQ(ExpectOktaError(Op(id, "activate"), 403, "E0000016"),
            "Activation failed because the user is already active");
}

TEST_F(LifecycleTest, ActivateWithEmailGoesToOutbox) {
  std::string id = h_.CreateUser("mail@example.com", "", /*activate=*/false);
  auto res = Op(id, "activate");  // sendEmail defaults to true
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "{}");
  EXPECT_EQ(Status(id), "PROVISIONED");  // no password yet
  ASSERT_EQ(h_.store().outbox().List().size(), 1u);
  EXPECT_EQ(h_.store().outbox().List()[0].to, "mail@example.com");
}

TEST_F(LifecycleTest, ReactivateOnlyFromProvisioned) {
  std::string id = h_.CreateUser("re@example.com", "");  // PROVISIONED
  auto res = h_.ApiPost("/api/v1/users/" + id + "/lifecycle/reactivate?sendEmail=false");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_NE(StringAt(ParseBody(res), "activationUrl").find("/welcome/"), std::string::npos);
  std::string active = h_.CreateUser("re2@example.com");
  EXPECT_EQ(ExpectOktaError(Op(active, "reactivate"), 403, "E0000038"),
            "This operation is not allowed in the user's current status.");
}

TEST_F(LifecycleTest, DeactivateThenActivateAgain) {
  std::string id = h_.CreateUser("d@example.com");
  EXPECT_EQ(Op(id, "deactivate")->status, 200);
  EXPECT_EQ(Status(id), "DEPROVISIONED");
  EXPECT_EQ(SignIn("d@example.com"), 401);
  ExpectOktaError(Op(id, "deactivate"), 403, "E0000038");
  EXPECT_EQ(h_.ApiPost("/api/v1/users/" + id + "/lifecycle/activate?sendEmail=false")->status, 200);
  EXPECT_EQ(Status(id), "ACTIVE");
}

TEST_F(LifecycleTest, ResetPasswordReturnsUrlOrMails) {
  std::string id = h_.CreateUser("r@example.com");
  auto res = h_.ApiPost("/api/v1/users/" + id + "/lifecycle/reset_password?sendEmail=false");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  std::string url = StringAt(ParseBody(res), "resetPasswordUrl");
  EXPECT_EQ(url.rfind(h_.server().base_url() + "/reset_password/", 0), 0u);
  EXPECT_EQ(Status(id), "RECOVERY");
  EXPECT_EQ(SignIn("r@example.com"), 401);
  EXPECT_TRUE(h_.store().outbox().List().empty());
  auto mailed = h_.ApiPost("/api/v1/users/" + id + "/lifecycle/reset_password?sendEmail=true");
  ASSERT_TRUE(mailed);
  EXPECT_EQ(mailed->body, "{}");
  ASSERT_EQ(h_.store().outbox().List().size(), 1u);
  EXPECT_EQ(h_.store().outbox().List()[0].subject, "Reset your password");
}

TEST_F(LifecycleTest, ResetPasswordRefusedForStagedUser) {
  std::string id = h_.CreateUser("st@example.com", "Str0ng-Passphrase", false);
  ExpectOktaError(Op(id, "reset_password"), 403, "E0000038");
}

TEST_F(LifecycleTest, UnlockIsNotAllowedForUnlockedUser) {
  std::string id = h_.CreateUser("u@example.com");
  EXPECT_EQ(ExpectOktaError(Op(id, "unlock"), 403, "E0000032"),
            "Unlock is not allowed for this user.");
}

TEST_F(LifecycleTest, UnknownUserAndOperation) {
  ExpectOktaError(Op("00unobody0000000000", "suspend"), 404, "E0000007");
  ExpectOktaError(Op("00udemo0000000000001", "explode"), 404, "E0000008");
}

TEST_F(LifecycleTest, DeleteDeactivatesFirstThenDeletes) {
  std::string id = h_.CreateUser("del@example.com");
  auto first = h_.ApiDelete("/api/v1/users/" + id);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 204);
  EXPECT_EQ(Status(id), "DEPROVISIONED");
  auto second = h_.ApiDelete("/api/v1/users/" + id);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 204);
  EXPECT_FALSE(h_.store().users().Find(id).has_value());
  ExpectOktaError(h_.ApiGet("/api/v1/users/" + id), 404, "E0000007");
  ExpectOktaError(h_.ApiDelete("/api/v1/users/" + id), 404, "E0000007");
}

}  // namespace
}  // namespace userdesk::mini_okta

namespace userdesk::mini_okta {
namespace {

using testing::ExpectOktaError;
using testing::ServerHarness;

class CredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Start(); }
  httplib::Result Change(const std::string& id, const std::string& old_pw,
                         const std::string& new_pw) {
    return h_.ApiPost("/api/v1/users/" + id + "/credentials/change_password",
                      R"({"oldPassword":{"value":")" + old_pw + R"("},"newPassword":{"value":")" +
                          new_pw + R"("}})");
  }
  ServerHarness h_;
};

TEST_F(CredentialsTest, ChangePassword) {
  std::string id = h_.CreateUser("cp@example.com");
  auto wrong = Change(id, "Wr0ng-Password", "N3w-Password!");
  EXPECT_EQ(ExpectOktaError(wrong, 403, "E0000014"), "Update of credentials failed");
  EXPECT_EQ(testing::ErrorCauses(wrong),
            std::vector<std::string>{"oldPassword: The credentials provided were incorrect."});
  ExpectOktaError(Change(id, "Str0ng-Passphrase", "weak"), 403, "E0000080");
  auto ok = Change(id, "Str0ng-Passphrase", "N3w-Password!");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(ok->body, R"({"password":{},"provider":{"type":"OKTA","name":"OKTA"}})");
  EXPECT_TRUE(h_.store().users().CheckPassword(*h_.store().users().Find(id), "N3w-Password!"));
  ExpectOktaError(Change("00unobody", "a", "b"), 404, "E0000007");
}

TEST_F(CredentialsTest, ExpirePasswordThenChangeReactivates) {
  std::string id = h_.CreateUser("ep@example.com");
  auto res = h_.ApiPost("/api/v1/users/" + id + "/lifecycle/expire_password");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(testing::StringAt(testing::ParseBody(res), "status"), "PASSWORD_EXPIRED");
  ASSERT_EQ(Change(id, "Str0ng-Passphrase", "N3w-Password!")->status, 200);
  EXPECT_EQ(h_.store().users().Find(id)->status, "ACTIVE");
  std::string staged = h_.CreateUser("ep2@example.com", "", false);
  ExpectOktaError(h_.ApiPost("/api/v1/users/" + staged + "/lifecycle/expire_password"), 403,
                  "E0000038");
}

}  // namespace
}  // namespace userdesk::mini_okta
