// The local email flow end to end: reset_password mails a link, /dev/outbox lists it (escaped),
// the link opens mini-okta's set-password form, the policy applies, and the token works once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "mini_okta/test_server.h"
#include "support/wait.h"

namespace userdesk::mini_okta {
namespace {

using testing::ParseBody;
using testing::ServerHarness;

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override { h_.Start(); }

  // Starts a reset for login by email and returns the path of the mailed link.
  std::string MailResetLink(const std::string& id) {
    auto res = h_.ApiPost("/api/v1/users/" + id + "/lifecycle/reset_password?sendEmail=true");
    EXPECT_TRUE(res && res->status == 200);
    std::string link = h_.store().outbox().List().back().link;
    return link.substr(h_.server().base_url().size());
  }

  // Self-service recovery (the user stays ACTIVE) and returns the path of the mailed link.
  std::string MailRecoveryLink(const std::string& login) {
    auto res = h_.Client().Post("/api/v1/authn/recovery/password",
                                R"({"username":")" + login + R"(","factorType":"EMAIL"})",
                                "application/json");
    EXPECT_TRUE(res && res->status == 200);
    return h_.store().outbox().List().back().link.substr(h_.server().base_url().size());
  }

  httplib::Result Submit(const std::string& path, const std::string& password,
                         const std::string& confirm) {
    httplib::Params form{{"newPassword", password}, {"confirmPassword", confirm}};
    return h_.Client().Post(path, form);
  }

  int SignIn(const std::string& login, const std::string& password) {
    auto res = h_.Client().Post(
        "/api/v1/authn", R"({"username":")" + login + R"(","password":")" + password + R"("})",
        "application/json");
    return res ? res->status : 0;
  }

  ServerHarness h_;
};

TEST_F(OutboxTest, ResetPasswordThroughTheOutbox) {
  std::string id = h_.CreateUser("reset@example.com");
  std::string path = MailResetLink(id);
  EXPECT_EQ(path.rfind("/reset_password/", 0), 0u);

  auto outbox = h_.Client().Get("/dev/outbox");
  ASSERT_TRUE(outbox);
  EXPECT_EQ(outbox->status, 200);
  EXPECT_EQ(outbox->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(outbox->body.find("reset@example.com"), std::string::npos);
  EXPECT_NE(outbox->body.find("Reset your password"), std::string::npos);
  EXPECT_NE(outbox->body.find("href=\"" + h_.server().base_url() + path + "\""), std::string::npos);

  auto form = h_.Client().Get(path);
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("name=\"newPassword\""), std::string::npos);
  // Same-origin, not no-referrer: the form's post must carry a real Origin (request_guard.h).
  EXPECT_EQ(form->get_header_value("Referrer-Policy"), "same-origin");

  auto mismatch = Submit(path, "N3w-Password!", "N3w-Password?");
  ASSERT_TRUE(mismatch);
  EXPECT_EQ(mismatch->status, 400);
  EXPECT_NE(mismatch->body.find("do not match"), std::string::npos);
  auto weak = Submit(path, "weakweak", "weakweak");
  ASSERT_TRUE(weak);
  EXPECT_EQ(weak->status, 400);
  EXPECT_NE(weak->body.find("Password requirements were not met."), std::string::npos);
  EXPECT_EQ(h_.store().users().Find(id)->status, "RECOVERY");

  std::string before = h_.store().users().Find(id)->password_changed;
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto done = Submit(path, "N3w-Password!", "N3w-Password!");
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200);
  UserRecord user = *h_.store().users().Find(id);
  EXPECT_EQ(user.status, "ACTIVE");
  EXPECT_NE(user.password_changed, before);
  EXPECT_EQ(SignIn("reset@example.com", "N3w-Password!"), 200);
  EXPECT_EQ(SignIn("reset@example.com", "Str0ng-Passphrase"), 401);

  // Single use.
  EXPECT_EQ(h_.Client().Get(path)->status, 404);
  EXPECT_EQ(Submit(path, "Th1rd-Password!", "Th1rd-Password!")->status, 404);
}

TEST_F(OutboxTest, ExpiredLinkIsRefused) {
  std::string id = h_.CreateUser("late@example.com");
  std::string path = MailResetLink(id);
  FaultSettings f;
  f.clock_offset_seconds = 2 * 3600;  // past the 1-hour lifetime
  h_.server().context().faults->Set(f);
  EXPECT_EQ(h_.Client().Get(path)->status, 404);
  EXPECT_EQ(Submit(path, "N3w-Password!", "N3w-Password!")->status, 404);
}

TEST_F(OutboxTest, ActivationLinkSetsFirstPassword) {
  auto created = h_.ApiPost("/api/v1/users", testing::NewUserBody("welcome@example.com"));
  ASSERT_EQ(created->status, 200);
  std::string link = h_.store().outbox().List().back().link;
  std::string path = link.substr(h_.server().base_url().size());
  EXPECT_EQ(path.rfind("/welcome/", 0), 0u);
  EXPECT_EQ(Submit(path, "F1rst-Password", "F1rst-Password")->status, 200);
  EXPECT_EQ(h_.store().users().Find("welcome@example.com")->status, "ACTIVE");
  EXPECT_EQ(SignIn("welcome@example.com", "F1rst-Password"), 200);
}

// Okta keeps one recovery link per user: a new one, or a new password by any route, voids the
// links mailed before it.
TEST_F(OutboxTest, OnlyTheNewestResetLinkWorks) {
  std::string id = h_.CreateUser("twice@example.com");
  std::string older = MailResetLink(id);
  std::string newer = MailResetLink(id);
  EXPECT_EQ(h_.Client().Get(older)->status, 404);
  EXPECT_EQ(Submit(older, "0lder-Password!", "0lder-Password!")->status, 404);
  EXPECT_EQ(h_.Client().Get(newer)->status, 200);
  EXPECT_EQ(Submit(newer, "N3wer-Password!", "N3wer-Password!")->status, 200);
  EXPECT_EQ(Submit(older, "0lder-Password!", "0lder-Password!")->status, 404);
  EXPECT_EQ(SignIn("twice@example.com", "N3wer-Password!"), 200);
  EXPECT_EQ(SignIn("twice@example.com", "0lder-Password!"), 401);
}

TEST_F(OutboxTest, APasswordChangeVoidsOutstandingResetLinks) {
  std::string id = h_.CreateUser("changed@example.com", "Str0ng-Passphrase");
  const std::string change = "/api/v1/users/" + id + "/credentials/change_password";

  std::string path = MailRecoveryLink("changed@example.com");
  auto changed = h_.ApiPost(change, R"({"oldPassword":{"value":"Str0ng-Passphrase"},)"
                                    R"("newPassword":{"value":"Ch4nged-Passphrase"}})");
  ASSERT_EQ(changed->status, 200) << changed->body;
  EXPECT_EQ(Submit(path, "Att4cker-Password", "Att4cker-Password")->status, 404) << "user change";

  path = MailResetLink(id);
  auto set = h_.ApiPost("/api/v1/users/" + id,
                        R"({"credentials":{"password":{"value":"Adm1n-Set-Password"}}})");
  ASSERT_EQ(set->status, 200) << set->body;
  EXPECT_EQ(Submit(path, "Att4cker-Password", "Att4cker-Password")->status, 404) << "admin set";

  // A profile change that leaves the password alone keeps the link.
  path = MailResetLink(id);
  ASSERT_EQ(h_.ApiPost("/api/v1/users/" + id, R"({"profile":{"firstName":"Ann"}})")->status, 200);
  EXPECT_EQ(Submit(path, "Fin4l-Password!", "Fin4l-Password!")->status, 200);
  EXPECT_EQ(SignIn("changed@example.com", "Fin4l-Password!"), 200);
}

TEST_F(OutboxTest, SettingAPasswordOnTheActivationPageVoidsResetLinks) {
  auto created = h_.ApiPost("/api/v1/users", testing::NewUserBody("both@example.com"));
  ASSERT_EQ(created->status, 200);
  std::string activation = h_.store().outbox().List().back().link.substr(h_.server().base_url().size());
  std::string id = h_.store().users().Find("both@example.com")->id;
  std::string reset = MailResetLink(id);
  EXPECT_EQ(Submit(activation, "F1rst-Password", "F1rst-Password")->status, 200);
  EXPECT_EQ(Submit(reset, "Att4cker-Password", "Att4cker-Password")->status, 404);
  EXPECT_EQ(SignIn("both@example.com", "F1rst-Password"), 200);
}

TEST_F(OutboxTest, OnlyTheNewestActivationLinkWorks) {
  auto created = h_.ApiPost("/api/v1/users", testing::NewUserBody("again@example.com"));
  ASSERT_EQ(created->status, 200);
  std::string older = h_.store().outbox().List().back().link.substr(h_.server().base_url().size());
  std::string id = h_.store().users().Find("again@example.com")->id;
  auto reactivated = h_.ApiPost("/api/v1/users/" + id + "/lifecycle/reactivate?sendEmail=true");
  ASSERT_EQ(reactivated->status, 200) << reactivated->body;
  std::string newer = h_.store().outbox().List().back().link.substr(h_.server().base_url().size());
  ASSERT_NE(older, newer);
  EXPECT_EQ(h_.Client().Get(older)->status, 404);
  EXPECT_EQ(Submit(newer, "F1rst-Password", "F1rst-Password")->status, 200);
  EXPECT_EQ(Submit(older, "0ther-Password", "0ther-Password")->status, 404);
}

TEST_F(OutboxTest, OutboxEscapesHtml) {
  std::string id = h_.CreateUser("x<b>y\\\"@example.com");
  ASSERT_FALSE(id.empty());
  MailResetLink(id);
  auto outbox = h_.Client().Get("/dev/outbox");
  ASSERT_TRUE(outbox);
  EXPECT_EQ(outbox->body.find("x<b>y"), std::string::npos);
  EXPECT_NE(outbox->body.find("x&lt;b&gt;y&quot;@example.com"), std::string::npos);
}

TEST_F(OutboxTest, OutboxAsJson) {
  std::string id = h_.CreateUser("json@example.com");
  MailResetLink(id);
  auto res = h_.Client().Get("/dev/outbox", {{"Accept", "application/json"}});
  ASSERT_TRUE(res);
  json::Document doc = ParseBody(res);
  ASSERT_TRUE(doc.IsArray());
  ASSERT_EQ(doc.Size(), 1u);
  EXPECT_EQ(testing::StringAt(doc[0], "to"), "json@example.com");
}

// Sends everything written to stderr (where base/log.h writes) to a file until Stop().
class StderrCapture {
 public:
  StderrCapture() {
    char path[] = "/tmp/mini-okta-log-XXXXXX";
    int fd = mkstemp(path);
    path_ = path;
    std::fflush(stderr);
    saved_ = dup(2);
    dup2(fd, 2);
    close(fd);
  }
  // What has been written so far, still capturing.
  std::string Peek() const {
    std::fflush(stderr);
    std::ifstream in(path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  std::string Stop() {
    std::string text = Peek();
    dup2(saved_, 2);
    close(saved_);
    unlink(path_.c_str());
    return text;
  }

 private:
  std::string path_;
  int saved_ = -1;
};

TEST_F(OutboxTest, AccessLogMasksTokensAndPasswords) {
  std::string id = h_.CreateUser("log@example.com");
  StderrCapture capture;
  std::string path = MailResetLink(id);
  h_.Client().Get(path);
  Submit(path, "N3w-Password!", "N3w-Password!");
  SignIn("log@example.com", "N3w-Password!");
  // the logger runs after the reply: the sign-in's line is the last to wait for
  userdesk::testing::WaitUntil(
      [&] { return capture.Peek().find("POST /api/v1/authn 200") != std::string::npos; });
  std::string log = capture.Stop();
  std::string token = path.substr(std::string("/reset_password/").size());
  EXPECT_NE(log.find("GET /reset_password/[token] 200"), std::string::npos) << log;
  EXPECT_NE(log.find("POST /api/v1/authn 200"), std::string::npos) << log;
  EXPECT_EQ(log.find(token), std::string::npos);
  EXPECT_EQ(log.find("N3w-Password!"), std::string::npos);
  EXPECT_EQ(log.find(testing::kApiToken), std::string::npos);
}

TEST_F(OutboxTest, UnknownTokenIsRefused) {
  EXPECT_EQ(h_.Client().Get("/reset_password/NotAToken123")->status, 404);
  EXPECT_EQ(h_.Client().Get("/reset-password/NotAToken123")->status, 404);
}

}  // namespace
}  // namespace userdesk::mini_okta
