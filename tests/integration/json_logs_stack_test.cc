// LOG_FORMAT=json through the real stack: after a sign-in, a profile save, a registration, a
// password change, a sign-out and requests with hostile paths, every line of every responder's
// log is one JSON object with the keys base/log.h promises (time, level, responder, component,
// event, request_id, message, fields), the responder its own name; the events the operations
// guide's jq examples use are there with their fields; and no password, code, state, session
// cookie, CSRF token, API token or secret of the env file is in any log: the responders', nginx's
// access and error logs (nginx writes its own lines in its own format: no responder line may
// reach it) or mini-okta's.
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/strings.h"
#include "http/cgi_parse.h"
#include "integration/browser.h"
#include "integration/stack.h"
#include "json/json.h"
#include "support/wait.h"

namespace userdesk::integration {
namespace {

constexpr char kFirstPassword[] = "Kestrel-Logs-1st-Passw0rd";
constexpr char kSecondPassword[] = "Kestrel-Logs-2nd-Passw0rd";
const std::vector<std::string> kResponders = {"home", "auth", "dashboard", "profile", "account"};

class JsonLogsStack : public DemoStackTest {
 protected:
  static void SetUpTestSuite() {
    Stack::Options options;
    options.extra_env = {{"LOG_FORMAT", "json"}, {"LOG_LEVEL", "info"}};
    StartStack(options);
  }

  static std::vector<std::string> Lines(const std::string& text) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      lines.push_back(text.substr(start, end - start));
      start = end + 1;
    }
    return lines;
  }

  // The form at path, filled with values, posted as a browser would.
  static HttpResponse Submit(Browser& b, const std::string& path,
                             const std::map<std::string, std::string>& values) {
    HttpResponse form = b.Get(stack_->Url(path));
    EXPECT_EQ(form.status, 200) << path << ": " << form.body;
    std::map<std::string, std::string> fields = FormFields(form.body);
    for (const auto& [name, value] : values) fields[name] = value;
    return b.Post(stack_->Url(path), EncodeForm(fields), Origin());
  }
};

TEST_F(JsonLogsStack, EveryResponderLineIsJsonWithItsKeysAndNoSecretIsLoggedAnywhere) {
  std::vector<std::string> secrets = {DemoPassword(),           kFirstPassword,
                                      kSecondPassword,          Env("APP_SECRET"),
                                      Env("CLIENT_SECRET"),     Env("REGISTRATION_TOKEN"),
                                      Env("USER_PROFILE_TOKEN")};
  secrets[0] = Trimmed(secrets[0]);

  // sign-in (the demo user), then a profile save
  Browser demo;
  SignInSteps s = StartSignIn(demo, *stack_, "demo@example.com", secrets[0]);
  ASSERT_EQ(s.signin.status, 302) << s.signin.body;
  secrets.push_back(QueryParam(s.callback, "code"));
  secrets.push_back(QueryParam(s.callback, "state"));
  for (const auto& [name, value] : demo.jar()) {
    if (name.rfind("userdesk_login_", 0) == 0) secrets.push_back(value);
  }
  ASSERT_EQ(demo.Get(s.callback).status, 302);
  ASSERT_TRUE(demo.Has("userdesk_session"));
  secrets.push_back(demo.Value("userdesk_session"));
  HttpResponse saved = Submit(demo, "/profile", {{"city", "Jsonville"}});
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(demo.Get(stack_->Url("/dashboard")).status, 200);

  // a registration, then that user signs in and changes their password
  Browser ada;
  HttpResponse created = Submit(ada, "/register",
                                {{"firstName", "Ada"},
                                 {"lastName", "Json"},
                                 {"email", "ada.json@example.com"},
                                 {"password", kFirstPassword}});
  ASSERT_EQ(created.status, 303) << created.body;
  secrets.push_back(ada.Value("userdesk_form"));
  SignInSteps as_ada = StartSignIn(ada, *stack_, "ada.json@example.com", kFirstPassword);
  ASSERT_EQ(as_ada.signin.status, 302) << as_ada.signin.body;
  secrets.push_back(QueryParam(as_ada.callback, "code"));
  ASSERT_EQ(ada.Get(as_ada.callback).status, 302);
  secrets.push_back(ada.Value("userdesk_session"));
  HttpResponse security = ada.Get(stack_->Url("/security"));
  ASSERT_EQ(security.status, 200);
  std::string csrf = InputValue(security.body, "csrf");
  ASSERT_FALSE(csrf.empty());
  secrets.push_back(csrf);
  HttpResponse changed = ada.Post(stack_->Url("/security"),
                                  "csrf=" + csrf + "&action=change_password&oldPassword=" +
                                      http::FormUrlEncode(kFirstPassword) +
                                      "&newPassword=" + http::FormUrlEncode(kSecondPassword) +
                                      "&confirmPassword=" + http::FormUrlEncode(kSecondPassword),
                                  Origin());
  ASSERT_EQ(changed.status, 303) << changed.body;

  // paths and headers a visitor chose: quotes, backslashes, control characters, bytes that are
  // not UTF-8, a forged JSON line
  for (const char* path :
       {"/%22%7D%2C%22level%22%3A%22error%22%7D", "/a%5Cb%5C%22", "/%1B%5B31mred%07",
        "/%FF%FE%C0%AF", "/x%0A%7B%22event%22%3A%22fake%22%7D", "/%E2%80%AEnimda"}) {
    HttpResponse r = Get(stack_->Url(path));
    EXPECT_NE(r.status, 0) << path << ": " << r.error;
  }
  // the provider's error text on the callback (logged, not shown), with a code and a state
  EXPECT_NE(Get(stack_->Url("/authorization-code/callback?error=access_denied&error_description="
                            "%22%0Aquote&state=JsonLogState&code=JsonLogCode"))
                .status,
            0);
  secrets.push_back("JsonLogState");
  secrets.push_back("JsonLogCode");

  // sign-out
  HttpResponse logout_page = demo.Get(stack_->Url("/logout"));
  std::string logout_csrf = InputValue(logout_page.body, "csrf");
  EXPECT_EQ(demo.Post(stack_->Url("/logout"), "csrf=" + logout_csrf, Origin()).status, 303);

  // every answer logged: the sign-out's line is the last
  ASSERT_TRUE(userdesk::testing::WaitUntil([] {
    return Contains(stack_->Log("auth"), "\"event\":\"signout\"");
  })) << stack_->Log("auth");

  std::set<std::string> events;  // "<responder> <event>"
  for (const std::string& responder : kResponders) {
    std::string log = stack_->Log(responder);
    EXPECT_FALSE(log.empty()) << responder;
    EXPECT_EQ(log.back(), '\n') << responder << ": the last line is cut";
    for (const std::string& line : Lines(log)) {
      auto doc = json::ParseObject(line);
      ASSERT_TRUE(doc.has_value()) << responder << ": not a JSON object: " << line;
      for (const char* key : {"time", "level", "component", "event", "message"}) {
        EXPECT_TRUE(json::GetString(*doc, key).has_value()) << key << ": " << line;
      }
      EXPECT_EQ(json::GetString(*doc, "responder"), responder) << line;
      const json::Value* id = json::Member(*doc, "request_id");
      EXPECT_TRUE(id != nullptr && (id->IsString() || id->IsNull())) << line;
      const json::Value* fields = json::GetObject(*doc, "fields");
      ASSERT_NE(fields, nullptr) << line;
      for (const auto& field : fields->GetObject()) {
        std::string key = field.name.GetString();
        if (field.value.IsString() && std::string(field.value.GetString()) == "[redacted]") {
          continue;
        }
        for (const char* word : {"password", "token", "secret", "cookie", "session"}) {
          EXPECT_EQ(AsciiLower(key).find(word), std::string::npos)
              << "a field named " << key << ": " << line;
        }
      }
      events.insert(responder + " " + json::GetString(*doc, "event").value_or(""));
      // an Okta call made while answering a request carries that request's id
      if (json::GetString(*doc, "event") == "http.call") {
        EXPECT_TRUE(id->IsString()) << "an Okta call without its request id: " << line;
      }
      if (json::GetString(*doc, "event") == "http.request") {
        EXPECT_TRUE(json::GetInt(*fields, "status").has_value()) << line;
        EXPECT_TRUE(json::GetString(*fields, "method").has_value()) << line;
        EXPECT_TRUE(json::GetString(*fields, "path").has_value()) << line;
        EXPECT_TRUE(id->IsString()) << "a request line without its request id: " << line;
      }
    }
  }
  for (const char* expected :
       {"auth http.request", "auth signin.ok", "auth signout", "auth http.call",
        "profile http.request", "dashboard http.request", "home http.error",
        "account registration.ok", "account password.changed"}) {
    EXPECT_EQ(events.count(expected), 1u) << expected << " not logged";
  }

  // nginx's error log is nginx's own: no responder output reaches it
  EXPECT_FALSE(Contains(stack_->Log("nginx"), "FastCGI sent in stderr")) << stack_->Log("nginx");
  for (const auto& entry : std::filesystem::directory_iterator(stack_->StateDir() + "/logs")) {
    if (!entry.is_regular_file()) continue;
    std::string text;
    for (const std::string& line : Lines(ReadFile(entry.path()))) {
      // mini-okta prints the seed's demo password for the developer, on purpose
      // (src/mini_okta/server/launcher.cc): its own start-up line, not a log of a request
      if (!line.starts_with("mini-okta: sign in as ")) text += line + "\n";
    }
    for (const std::string& secret : secrets) {
      ASSERT_FALSE(secret.empty());
      EXPECT_FALSE(Contains(text, secret))
          << "\"" << secret << "\" is in logs/" << entry.path().filename().string();
    }
  }
}

// The text format is still the default: the stack of every other test writes "<time> <level>
// <component>: <message>" lines, checked here for one request.
class TextLogsStack : public DemoStackTest {};

TEST_F(TextLogsStack, TheDefaultFormatIsText) {
  HttpRequest r;
  r.url = stack_->Url("/");
  r.headers = {"X-Request-Id: ignored-by-nginx"};
  ASSERT_EQ(Fetch(r).status, 200);
  ASSERT_TRUE(userdesk::testing::WaitUntil([] {
    return Contains(stack_->Log("home"), " info home: GET / 200 ");
  })) << stack_->Log("home");
  EXPECT_FALSE(Contains(stack_->Log("home"), "\"event\":")) << stack_->Log("home");
}

}  // namespace
}  // namespace userdesk::integration
