// Registration and password reset through the real stack: nginx, spawn-fcgi with every
// responder, and mini-okta as Okta (its Users API, password policy, outbox and set-password
// page). Each test uses addresses of its own, and checks both what the browser sees and what
// mini-okta then holds.
#include <chrono>
#include <thread>

#include "integration/browser.h"
#include "integration/stack.h"
#include "json/json.h"

namespace userdesk::integration {
namespace {

constexpr char kPassword[] = "Correct-Horse-9-battery";

class AccountStack : public DemoStackTest {
 protected:
  // The form at path, with the fields filled as given, posted from our own origin.
  static HttpResponse Submit(Browser& browser, const std::string& path,
                             const std::map<std::string, std::string>& values) {
    HttpResponse form = browser.Get(stack_->Url(path));
    EXPECT_EQ(form.status, 200) << form.body;
    std::map<std::string, std::string> fields = FormFields(form.body);
    EXPECT_FALSE(fields["csrf"].empty()) << form.body;
    for (const auto& [name, value] : values) fields[name] = value;
    return browser.Post(stack_->Url(path), EncodeForm(fields), Origin());
  }

  // The register form as served to browser, filled in for Ada Lovelace at email.
  static std::map<std::string, std::string> RegisterForm(Browser& browser, const std::string& email,
                                                         const std::string& password = kPassword) {
    HttpResponse form = browser.Get(stack_->Url("/register"));
    EXPECT_EQ(form.status, 200) << form.body;
    std::map<std::string, std::string> fields = FormFields(form.body);
    EXPECT_FALSE(fields["csrf"].empty()) << form.body;
    fields["firstName"] = "Ada";
    fields["lastName"] = "Lovelace";
    fields["email"] = email;
    fields["password"] = password;
    return fields;
  }

  static HttpResponse Register(Browser& browser, const std::string& email,
                               const std::string& password = kPassword) {
    return browser.Post(stack_->Url("/register"),
                        EncodeForm(RegisterForm(browser, email, password)), Origin());
  }

  // mini-okta's user with this login, as its management API returns it ("" when there is none).
  static std::string OktaUser(const std::string& login) {
    HttpRequest r;
    r.url = stack_->MiniOktaUrl() + "/api/v1/users/" + http::FormUrlEncode(login);
    r.headers = {"Authorization: SSWS " + Env("REGISTRATION_TOKEN"), "Accept: application/json"};
    HttpResponse res = Fetch(r);
    return res.status == 200 ? res.body : "";
  }

  // The reset links mini-okta has "mailed" to this address, oldest first.
  static std::vector<std::string> ResetLinks(const std::string& to) {
    HttpRequest r;
    r.url = stack_->MiniOktaUrl() + "/dev/outbox";
    r.headers = {"Accept: application/json"};
    std::vector<std::string> links;
    auto doc = json::Parse(Fetch(r).body);
    if (!doc || !doc->IsArray()) return links;
    for (const json::Value& mail : doc->GetArray()) {
      if (json::GetString(mail, "to") == to) {
        std::string link = json::GetString(mail, "link").value_or("");
        if (Contains(link, "/reset_password/")) links.push_back(link);
      }
    }
    return links;
  }

  // Waits up to 5 s for the background worker to have mailed `count` reset links to `to`.
  static std::vector<std::string> AwaitResetLinks(const std::string& to, size_t count = 1) {
    std::vector<std::string> links;
    for (int i = 0; i < 100 && links.size() < count; i++) {
      links = ResetLinks(to);
      if (links.size() < count) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return links;
  }

  // Signs in as login through mini-okta's form; the callback's answer.
  static HttpResponse SignInWith(Browser& browser, const std::string& login,
                                 const std::string& password) {
    SignInSteps s = StartSignIn(browser, *stack_, login, password);
    if (s.signin.status != 302) return s.signin;
    return browser.Get(s.callback);
  }

  // Waits up to 5 s for text to appear in the responder's log.
  static bool AwaitLog(const std::string& name, const std::string& text) {
    for (int i = 0; i < 100; i++) {
      if (Contains(stack_->Log(name), text)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  // mini-okta's primary authentication (POST /api/v1/authn) with this password: its status.
  static long AuthnStatus(const std::string& login, const std::string& password) {
    HttpRequest r;
    r.method = "POST";
    r.url = stack_->MiniOktaUrl() + "/api/v1/authn";
    r.content_type = "application/json";
    r.headers = {"Accept: application/json"};
    r.body = R"({"username":")" + login + R"(","password":")" + password + R"("})";
    return Fetch(r).status;
  }

  // The answer to a reset request as a browser sends it: from source_address ("" for the
  // default), with the form's cookie and token (from FormFields of a served form).
  static HttpResponse PostResetFrom(const std::string& source_address,
                                    std::map<std::string, std::string> fields,
                                    const std::string& cookie, const std::string& email) {
    fields["email"] = email;
    HttpRequest r;
    r.method = "POST";
    r.url = stack_->Url("/reset-password");
    r.headers = {"Origin: " + Origin()};
    r.cookie = cookie;
    r.body = EncodeForm(fields);
    r.source_address = source_address;
    return Fetch(r);
  }

  // An answer with what differs per request left out: the Date header and nginx's request id
  // (X-Request-Id). Everything else (status, every other header, the body) must match.
  static std::string Comparable(const HttpResponse& r) {
    std::string out = std::to_string(r.status) + "\n";
    for (const auto& [name, value] : r.headers) {
      if (name != "date" && name != "x-request-id") out += name + ": " + value + "\n";
    }
    return out + "\n" + r.body;
  }

  // How often text is in the responder's log, once it is there at least n times or 5 s passed.
  static size_t AwaitLogCount(const std::string& name, const std::string& text, size_t n) {
    size_t count = 0;
    for (int i = 0; i < 100 && (count = Count(stack_->Log(name), text)) < n; i++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return count;
  }

  // How many user creations mini-okta has answered.
  static size_t Creations() { return Count(stack_->Log("mini-okta"), "POST /api/v1/users "); }
};

TEST_F(AccountStack, RegisteringLeadsToSignInWithTheAddressFilledInThenAWelcome) {
  Browser b;
  HttpResponse form = b.Get(stack_->Url("/register"));
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(b.Has("userdesk_form")) << "the double-submit cookie";
  EXPECT_EQ(form.Header("Cache-Control"), "private, no-store") << "it holds a CSRF token";
  for (const char* label : {">First Name", ">Last Name", ">Email", ">Password"}) {
    EXPECT_TRUE(Contains(form.body, label)) << label;
  }

  HttpResponse created = Register(b, "ada@example.com");
  ASSERT_EQ(created.status, 303) << created.body;
  std::string to_login = created.Header("Location");
  EXPECT_EQ(to_login, "/login?returnTo=%2Fdashboard%3Fwelcome%3D1&login_hint=ada%40example.com");
  std::string user = OktaUser("ada@example.com");
  ASSERT_FALSE(user.empty());
  EXPECT_TRUE(Contains(user, R"("status":"ACTIVE")")) << user;
  EXPECT_TRUE(Contains(user, R"("email":"ada@example.com")")) << user;

  // /login passes the address on: mini-okta's sign-in form shows it filled in
  HttpResponse login = b.Get(stack_->Url(to_login));
  ASSERT_EQ(login.status, 302) << login.body;
  EXPECT_EQ(QueryParam(login.Header("Location"), "login_hint"), "ada%40example.com");
  HttpResponse signin_form = b.Get(login.Header("Location"));
  EXPECT_TRUE(Contains(signin_form.body, "value=\"ada@example.com\"")) << signin_form.body;

  Browser fresh;
  SignInSteps s = StartSignIn(fresh, *stack_, "ada@example.com", kPassword,
                              "?returnTo=%2Fdashboard%3Fwelcome%3D1");
  ASSERT_EQ(s.signin.status, 302) << s.signin.body;
  HttpResponse callback = fresh.Get(s.callback);
  ASSERT_EQ(callback.status, 302) << callback.body;
  EXPECT_EQ(callback.Header("Location"), "/dashboard?welcome=1");
  HttpResponse dashboard = fresh.Get(stack_->Url("/dashboard?welcome=1"));
  EXPECT_EQ(dashboard.status, 200) << dashboard.body;
  EXPECT_TRUE(Contains(dashboard.body, "<h1><bdi>Ada</bdi>&apos;s Dashboard</h1>"))
      << dashboard.body;
  EXPECT_TRUE(Contains(dashboard.body, "Welcome! Your account has been created."));
}

TEST_F(AccountStack, ATakenAddressIsSaidBesideTheEmailWithTheInputKept) {
  Browser b;
  HttpResponse r = Register(b, "demo@example.com");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(Contains(r.body, "An account with this email address already exists")) << r.body;
  EXPECT_TRUE(Contains(r.body, "aria-describedby=\"email-error\""));
  EXPECT_EQ(InputValue(r.body, "firstName"), "Ada");
  EXPECT_EQ(InputValue(r.body, "lastName"), "Lovelace");
  EXPECT_EQ(InputValue(r.body, "email"), "demo@example.com");
  EXPECT_EQ(InputValue(r.body, "password"), "") << "a password is never sent back";
  EXPECT_FALSE(Contains(r.body, kPassword));
  EXPECT_TRUE(Contains(OktaUser("demo@example.com"), R"("firstName":"Demo")"))
      << "the existing user is untouched";
}

TEST_F(AccountStack, AWeakPasswordGetsThePolicyBesideThePasswordAndCreatesNothing) {
  Browser b;
  HttpResponse r = Register(b, "weak@example.com", "password");
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(Contains(r.body,
                       "<p class=\"field-error\" id=\"password-error\">Password "
                       "requirements were not met."))
      << r.body;
  EXPECT_EQ(InputValue(r.body, "email"), "weak@example.com");
  EXPECT_EQ(InputValue(r.body, "firstName"), "Ada");
  EXPECT_EQ(OktaUser("weak@example.com"), "");
  // the password never reaches a log
  for (const char* log : {"account", "nginx", "mini-okta"}) {
    EXPECT_FALSE(Contains(stack_->Log(log), "password=password")) << log;
  }
}

TEST_F(AccountStack, MissingFieldsAreNamedAndNothingReachesOkta) {
  Browser b;
  size_t before = Creations();
  HttpResponse r = Submit(b, "/register", {{"email", "bad@"}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(Contains(r.body, "Enter your first name."));
  EXPECT_TRUE(Contains(r.body, "Enter your last name."));
  EXPECT_TRUE(Contains(r.body, "Enter an email address like name@example.com."));
  EXPECT_TRUE(Contains(r.body, "Enter your password."));
  EXPECT_EQ(InputValue(r.body, "email"), "bad@");
  EXPECT_EQ(Creations(), before);
}

TEST_F(AccountStack, AMissingOrForeignCsrfTokenIsRefused) {
  Browser b;
  std::map<std::string, std::string> fields = RegisterForm(b, "eve@example.com");
  fields["firstName"] = "Eve";
  size_t before = Creations();

  // same origin, no token: the form comes back with what was typed and a fresh token
  std::map<std::string, std::string> no_token = fields;
  no_token.erase("csrf");
  HttpResponse missing = b.Post(stack_->Url("/register"), EncodeForm(no_token), Origin());
  EXPECT_EQ(missing.status, 403) << missing.body;
  EXPECT_TRUE(Contains(missing.body, "This form had expired")) << missing.body;
  EXPECT_EQ(InputValue(missing.body, "firstName"), "Eve");
  EXPECT_FALSE(InputValue(missing.body, "csrf").empty());

  // the token without its cookie
  Browser other;
  HttpResponse cookieless = other.Post(stack_->Url("/register"), EncodeForm(fields), Origin());
  EXPECT_EQ(cookieless.status, 403) << cookieless.body;

  // another site's page posting the victim's form: the plain refusal, not a filled-in form
  HttpResponse foreign =
      b.Post(stack_->Url("/register"), EncodeForm(fields), "https://evil.example");
  EXPECT_EQ(foreign.status, 403) << foreign.body;
  EXPECT_FALSE(Contains(foreign.body, "Eve"));
  HttpResponse reset =
      b.Post(stack_->Url("/reset-password"), "email=demo%40example.com&csrf=" + fields["csrf"],
             "https://evil.example");
  EXPECT_EQ(reset.status, 403) << reset.body;

  EXPECT_EQ(Creations(), before);
  EXPECT_EQ(OktaUser("eve@example.com"), "");
  // one worker sends resets in order: once a later, accepted request's mail is out, the refused
  // one would have been too
  ASSERT_EQ(Register(b, "sentinel@example.com").status, 303);
  ASSERT_EQ(Submit(b, "/reset-password", {{"email", "sentinel@example.com"}}).status, 200);
  ASSERT_EQ(AwaitResetLinks("sentinel@example.com").size(), 1u);
  EXPECT_TRUE(ResetLinks("demo@example.com").empty());
}

TEST_F(AccountStack, ASignedInUserOpeningRegisterGoesHome) {
  Browser b;
  ASSERT_EQ(SignIn(b).status, 302);
  HttpResponse r = b.Get(stack_->Url("/register"));
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.Header("Location"), "/");
}

TEST_F(AccountStack, ResetAnswersKnownUnknownAndRepeatedAddressesAlikeAndMailsOnlyTheKnown) {
  Browser b;
  HttpResponse form = b.Get(stack_->Url("/reset-password"));
  ASSERT_EQ(form.status, 200) << form.body;
  std::map<std::string, std::string> fields = FormFields(form.body);
  std::string cookie = "userdesk_form=" + b.Value("userdesk_form");
  // a slow Okta must not show in the answer's timing: the call happens after it
  Faults(R"({"latencyMs":800})");
  auto t0 = std::chrono::steady_clock::now();
  HttpResponse known = PostResetFrom("", fields, cookie, "demo@example.com");
  auto t1 = std::chrono::steady_clock::now();
  HttpResponse unknown = PostResetFrom("", fields, cookie, "nobody@example.com");
  auto t2 = std::chrono::steady_clock::now();
  HttpResponse repeated = PostResetFrom("", fields, cookie, "Demo@Example.com");  // cooling down
  EXPECT_EQ(known.status, 200) << known.body;
  EXPECT_FALSE(known.Header("Date").empty());
  EXPECT_NE(known.Header("X-Request-Id"), unknown.Header("X-Request-Id"));
  // byte for byte the same answer, but for Date and X-Request-Id
  EXPECT_EQ(Comparable(unknown), Comparable(known));
  EXPECT_EQ(Comparable(repeated), Comparable(known));
  EXPECT_TRUE(Contains(known.body,
                       "If an account exists for that address, we have sent it a "
                       "link to reset the password."));
  EXPECT_FALSE(Contains(known.body, "demo@example.com")) << "the address is not echoed";
  EXPECT_FALSE(Contains(known.body, "Demo@Example.com"));
  // neither waited for mini-okta's 800 ms
  EXPECT_LT(t1 - t0, std::chrono::milliseconds(600));
  EXPECT_LT(t2 - t1, std::chrono::milliseconds(600));

  std::vector<std::string> links = AwaitResetLinks("demo@example.com");
  EXPECT_EQ(links.size(), 1u);
  Faults(R"({"latencyMs":0})");
  EXPECT_TRUE(AwaitLog("account", "minutes ago: nothing sent")) << stack_->Log("account");
  EXPECT_EQ(AwaitLogCount("account", "Okta took the reset request", 2), 2u)
      << "known and unknown alike; the repeat never reached the queue\n"
      << stack_->Log("account");
  EXPECT_TRUE(ResetLinks("nobody@example.com").empty());
  EXPECT_EQ(ResetLinks("demo@example.com").size(), 1u);
  // the address reaches no log
  for (const char* log : {"account", "nginx", "access"}) {
    EXPECT_FALSE(Contains(stack_->Log(log), "demo@example.com")) << log;
    EXPECT_FALSE(Contains(stack_->Log(log), "demo%40example.com")) << log;
  }
}

TEST_F(AccountStack, AResetLeavesTheUserActiveAndTheirPasswordStillSignsIn) {
  Browser b;
  ASSERT_EQ(Register(b, "ines@example.com").status, 303);
  ASSERT_EQ(Submit(b, "/reset-password", {{"email", "ines@example.com"}}).status, 200);
  ASSERT_EQ(AwaitResetLinks("ines@example.com").size(), 1u);

  // nothing about the account changed: a stranger's request locks nobody out
  EXPECT_TRUE(Contains(OktaUser("ines@example.com"), R"("status":"ACTIVE")"))
      << OktaUser("ines@example.com");
  EXPECT_EQ(AuthnStatus("ines@example.com", kPassword), 200);
  Browser signed_in;
  HttpResponse ok = SignInWith(signed_in, "ines@example.com", kPassword);
  ASSERT_EQ(ok.status, 302) << ok.body;
  EXPECT_EQ(signed_in.Get(stack_->Url("/dashboard")).status, 200);
}

// With production's rate limit (10 a minute, bursts of 20 per client address) and the default
// cooldown: nginx stops one client, so the flood comes from many. Each client has a loopback
// address of its own (Linux routes all of 127/8 to lo, so the client socket can bind 127.0.0.2,
// 127.0.0.3, ...), and nginx keys its limit on that source address.
class ResetFromManyClients : public AccountStack {
 protected:
  static void SetUpTestSuite() {
    Stack::Options options;
    options.extra_env = {{"USERDESK_SIGNIN_RATE", "10r/m"},
                         {"USERDESK_SIGNIN_BURST", "20"},
                         {"RESET_EMAIL_COOLDOWN_MINUTES", "15"}};
    StartStack(std::move(options));
  }
};

TEST_F(ResetFromManyClients, OneAddressGetsOneEmailPerCooldownWhoeverAsks) {
  Browser b;
  ASSERT_EQ(Register(b, "victim@example.com").status, 303);
  ASSERT_EQ(Register(b, "sentinel@example.com").status, 303);
  HttpResponse form = b.Get(stack_->Url("/reset-password"));
  ASSERT_EQ(form.status, 200) << form.body;
  std::map<std::string, std::string> fields = FormFields(form.body);
  std::string cookie = "userdesk_form=" + b.Value("userdesk_form");

  // 40 clients, 3 requests each, in the spellings people type: 120 requests, where one client
  // alone would be stopped after 21
  constexpr int kClients = 40;
  const char* spellings[] = {"victim@example.com", "Victim@Example.com", " VICTIM@example.com "};
  std::string first_answer;
  int answered = 0;
  for (int client = 0; client < kClients; client++) {
    std::string source = "127.0.0." + std::to_string(client + 2);
    for (const char* email : spellings) {
      HttpResponse r = PostResetFrom(source, fields, cookie, email);
      ASSERT_EQ(r.status, 200) << source << " " << email << ": " << r.error << r.body;
      if (first_answer.empty()) first_answer = Comparable(r);
      EXPECT_EQ(Comparable(r), first_answer) << source << " " << email;
      answered++;
    }
  }
  EXPECT_EQ(answered, 3 * kClients);
  // every repeat was decided on the request path, before the queue
  EXPECT_EQ(Count(stack_->Log("account"), "minutes ago: nothing sent"), 3u * kClients - 1)
      << stack_->Log("account");

  // one client alone is stopped by nginx after its burst: the many addresses are what got
  // through
  long last = 0;
  for (int i = 0; i < 22; i++)
    last = PostResetFrom("127.0.0.201", fields, cookie, spellings[0]).status;
  EXPECT_EQ(last, 429) << "the 22nd request from one client address";

  // the one worker sends in order: once a later request's mail is out, the victim's is too
  ASSERT_EQ(PostResetFrom("127.0.0.200", fields, cookie, "sentinel@example.com").status, 200);
  ASSERT_EQ(AwaitResetLinks("sentinel@example.com").size(), 1u);
  EXPECT_EQ(ResetLinks("victim@example.com").size(), 1u) << "one email per cooldown";
  // (its log line follows mini-okta's answer, so it may come a moment after the mail)
  EXPECT_EQ(AwaitLogCount("account", "Okta took the reset request", 2), 2u);
  EXPECT_FALSE(Contains(stack_->Log("account"), "reset queue full"));

  // and the victim can still sign in as before
  EXPECT_TRUE(Contains(OktaUser("victim@example.com"), R"("status":"ACTIVE")"));
  EXPECT_EQ(AuthnStatus("victim@example.com", kPassword), 200);
}

TEST_F(AccountStack, AnAddressThatIsNotOneIsAskedAgainWithItKept) {
  Browser b;
  HttpResponse r = Submit(b, "/reset-password", {{"email", "demo at example.com"}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_TRUE(Contains(r.body, "Enter an email address like name@example.com."));
  EXPECT_EQ(InputValue(r.body, "email"), "demo at example.com");
}

TEST_F(AccountStack, ResetLoopRegisterForgetResetAtMiniOktaSignInWithTheNewPassword) {
  Browser b;
  ASSERT_EQ(Register(b, "grace@example.com").status, 303);
  ASSERT_EQ(Submit(b, "/reset-password", {{"email", "grace@example.com"}}).status, 200);
  std::vector<std::string> links = AwaitResetLinks("grace@example.com");
  ASSERT_EQ(links.size(), 1u);

  // the link opens mini-okta's set-password form
  Browser mail;
  HttpResponse page = mail.Get(links[0]);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Contains(page.body, "name=\"newPassword\"")) << page.body;
  const std::string fresh_password = "Another-Horse-7-staple";
  HttpResponse set = mail.Post(links[0],
                               "newPassword=" + http::FormUrlEncode(fresh_password) +
                                   "&confirmPassword=" + http::FormUrlEncode(fresh_password),
                               stack_->MiniOktaUrl());
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_TRUE(Contains(set.body, "Your password has been set"));

  Browser old_password;
  HttpResponse refused = SignInWith(old_password, "grace@example.com", kPassword);
  EXPECT_NE(refused.status, 302) << "the old password no longer signs in";
  Browser signed_in;
  HttpResponse ok = SignInWith(signed_in, "grace@example.com", fresh_password);
  ASSERT_EQ(ok.status, 302) << ok.body;
  HttpResponse dashboard = signed_in.Get(stack_->Url("/dashboard"));
  EXPECT_EQ(dashboard.status, 200);
  EXPECT_TRUE(Contains(dashboard.body, "Signed in as")) << dashboard.body;
}

TEST_F(AccountStack, OktaDownWhileRegisteringKeepsTheInputAndSaysNothingWasCreated) {
  Browser b;
  std::map<std::string, std::string> fields = RegisterForm(b, "later@example.com");
  Faults(R"({"errorRate":1.0})");
  HttpResponse down = b.Post(stack_->Url("/register"), EncodeForm(fields), Origin());
  Faults(R"({"errorRate":0})");
  EXPECT_EQ(down.status, 503) << down.body;
  EXPECT_TRUE(Contains(down.body, "your account was not created")) << down.body;
  EXPECT_EQ(InputValue(down.body, "email"), "later@example.com");
  EXPECT_EQ(InputValue(down.body, "password"), "");
  // the same form, sent again, now works
  fields["csrf"] = InputValue(down.body, "csrf");
  HttpResponse again = b.Post(stack_->Url("/register"), EncodeForm(fields), Origin());
  EXPECT_EQ(again.status, 303) << again.body;
}

}  // namespace
}  // namespace userdesk::integration
