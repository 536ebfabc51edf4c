// A minimal browser for integration tests: one cookie jar for every origin on 127.0.0.1 (as a
// real browser keeps cookies per host, not per port), Set-Cookie applied after each response,
// redirects followed only when a test asks. Plus the sign-in dance at mini-okta's form.
#pragma once

#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "http/cgi_parse.h"
#include "integration/stack.h"
#include "session/registry.h"
#include "session/session_cookie.h"
#include "session/sqlite_registry.h"

namespace userdesk::integration {

// ---- reading pages and writing forms -------------------------------------------------------

// The value of the form input called name in an HTML page ("" when absent).
inline std::string InputValue(const std::string& html, const std::string& name) {
  std::smatch m;
  std::regex input("name=\"" + std::regex_replace(name, std::regex(R"([.])"), R"(\.)") +
                   "\"[^>]*value=\"([^\"]*)\"");
  return std::regex_search(html, m, input) ? std::string(m[1]) : "";
}

// What a browser posts of a form page as it was served (name -> value, HTML escapes undone):
// every input but a disabled one or an unticked checkbox, each select's chosen option, each
// textarea's text.
inline std::map<std::string, std::string> FormFields(const std::string& html) {
  std::map<std::string, std::string> fields;
  auto unescape = [](std::string v) {
    // undo the template's HTML escaping of values (&amp; &quot; &lt; &gt; &#39;)
    for (auto [from, to] : {std::pair{"&quot;", "\""},
                            {"&lt;", "<"},
                            {"&gt;", ">"},
                            {"&apos;", "'"},
                            {"&amp;", "&"}}) {
      v = std::regex_replace(v, std::regex(from), to);
    }
    return v;
  };
  std::regex input(R"re(<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"[^>]*>)re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), input);
       it != std::sregex_iterator(); ++it) {
    std::string tag = (*it)[0];
    if (tag.find(" disabled") != std::string::npos) continue;
    if (tag.find(R"(type="checkbox")") != std::string::npos &&
        tag.find(" checked") == std::string::npos) {
      continue;
    }
    fields[(*it)[1]] = unescape((*it)[2]);
  }
  std::regex select(R"re(<select id="[^"]*" name="([^"]+)"([^>]*)>([\s\S]*?)</select>)re");
  std::regex chosen(R"re(<option value="([^"]*)" selected>)re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), select);
       it != std::sregex_iterator(); ++it) {
    if (std::string((*it)[2]).find(" disabled") != std::string::npos) continue;
    std::smatch m;
    std::string options = (*it)[3];
    fields[(*it)[1]] = std::regex_search(options, m, chosen) ? unescape(m[1]) : "";
  }
  std::regex textarea(R"re(<textarea id="[^"]*" name="([^"]+)"([^>]*)>([^<]*)</textarea>)re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), textarea);
       it != std::sregex_iterator(); ++it) {
    if (std::string((*it)[2]).find(" disabled") != std::string::npos) continue;
    fields[(*it)[1]] = unescape((*it)[3]);
  }
  return fields;
}

inline std::string EncodeForm(const std::map<std::string, std::string>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    body +=
        (body.empty() ? "" : "&") + http::FormUrlEncode(name) + "=" + http::FormUrlEncode(value);
  }
  return body;
}

// ---- the browser ----------------------------------------------------------------------------

class Browser {
 public:
  HttpResponse Get(const std::string& url) { return Send("GET", url, ""); }
  // A form post as a browser sends it from a page of `origin` (its Origin header).
  HttpResponse Post(const std::string& url, const std::string& form_body,
                    const std::string& origin) {
    return Send("POST", url, form_body, origin);
  }

  // GETs url and follows up to `max` redirects; the last response.
  HttpResponse Follow(std::string url, int max = 8) {
    HttpResponse r = Get(url);
    for (int i = 0; i < max && r.status >= 300 && r.status < 400; i++) {
      url = Resolve(url, r.Header("Location"));
      r = Get(url);
    }
    return r;
  }

  std::map<std::string, std::string>& jar() { return jar_; }
  bool Has(const std::string& cookie) const { return jar_.count(cookie) != 0; }
  std::string Value(const std::string& cookie) const {
    auto it = jar_.find(cookie);
    return it == jar_.end() ? "" : it->second;
  }
  size_t CountWithPrefix(const std::string& prefix) const {
    size_t n = 0;
    for (const auto& [name, value] : jar_) n += name.rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
  }

  // "http://host:port" + "/path" for a Location that is a path.
  static std::string Resolve(const std::string& current, const std::string& location) {
    if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) return location;
    size_t host_end = current.find('/', current.find("//") + 2);
    return current.substr(0, host_end) + location;
  }

 private:
  HttpResponse Send(const std::string& method, const std::string& url, const std::string& body,
                    const std::string& origin = "") {
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.body = body;
    if (!origin.empty()) request.headers.push_back("Origin: " + origin);
    for (const auto& [name, value] : jar_) {
      request.cookie += (request.cookie.empty() ? "" : "; ") + name + "=" + value;
    }
    HttpResponse r = Fetch(request);
    for (const std::string& header : r.Headers("set-cookie")) Absorb(header);
    return r;
  }

  void Absorb(const std::string& header) {
    std::string pair = header.substr(0, header.find(';'));
    size_t eq = pair.find('=');
    if (eq == std::string::npos) return;
    std::string name = pair.substr(0, eq);
    bool deleted = header.find("Max-Age=0") != std::string::npos ||
                   header.find("max-age=0") != std::string::npos || eq + 1 == pair.size();
    if (deleted) {
      jar_.erase(name);
    } else {
      jar_[name] = pair.substr(eq + 1);
    }
  }

  std::map<std::string, std::string> jar_;
};

// Where a sign-in stands after each step, for tests that stop half-way.
struct SignInSteps {
  HttpResponse login;     // the app's /login answer (302 to the provider)
  std::string authorize;  // the provider URL it pointed to
  std::string state;      // the state parameter in it
  HttpResponse form;      // the provider's sign-in form
  HttpResponse signin;    // the provider's answer to the form (302 to our callback)
  std::string callback;   // the callback URL with code and state
};

inline std::string QueryParam(const std::string& url, const std::string& name) {
  std::smatch m;
  if (!std::regex_search(url, m, std::regex("[?&]" + name + "=([^&#]*)"))) return "";
  return m[1];
}

// /login (with returnTo) -> mini-okta's form -> username/password posted; stops before calling
// our callback, so a test can decide what to do with it.
inline SignInSteps StartSignIn(Browser& browser, const Stack& stack, const std::string& username,
                               const std::string& password,
                               const std::string& return_to_query = "") {
  SignInSteps s;
  s.login = browser.Get(stack.Url("/login" + return_to_query));
  s.authorize = s.login.Header("Location");
  s.state = QueryParam(s.authorize, "state");
  if (s.login.status != 302 || s.authorize.empty()) return s;
  s.form = browser.Get(s.authorize);
  if (s.form.status == 302) {  // the provider still has a session (SSO): no form this time
    s.callback = s.form.Header("Location");
    return s;
  }
  std::smatch m;
  if (!std::regex_search(s.form.body, m, std::regex("name=\"request_id\" value=\"([^\"]+)\""))) {
    return s;
  }
  std::string action = stack.MiniOktaUrl() + "/login/signin";
  s.signin = browser.Post(action,
                          "request_id=" + http::FormUrlEncode(std::string(m[1])) +
                              "&username=" + http::FormUrlEncode(username) +
                              "&password=" + http::FormUrlEncode(password),
                          stack.MiniOktaUrl());
  s.callback = s.signin.Header("Location");
  return s;
}

// A stack test that signs in as the seeded demo user and turns mini-okta's fault knobs.
class DemoStackTest : public StackTest {
 protected:
  // Signs browser in as login with password (a user the test made); EXPECTs success.
  static void SignInWithPassword(Browser& browser, const std::string& login,
                                 const std::string& password) {
    SignInSteps s = StartSignIn(browser, *stack_, login, password);
    ASSERT_EQ(s.signin.status, 302) << s.signin.body;
    HttpResponse callback = browser.Get(s.callback);
    ASSERT_EQ(callback.status, 302) << callback.body;
  }

  // GET /profile, change some fields, post the whole form as a browser would.
  static HttpResponse EditProfile(Browser& browser,
                                  const std::map<std::string, std::string>& changes) {
    HttpResponse form = browser.Get(stack_->Url("/profile"));
    EXPECT_EQ(form.status, 200) << form.body;
    std::map<std::string, std::string> fields = FormFields(form.body);
    for (const auto& [name, value] : changes) fields[name] = value;
    return browser.Post(stack_->Url("/profile"), EncodeForm(fields), Origin());
  }

  // KEY's value in the generated .env.
  static std::string Env(const std::string& key) {
    std::istringstream lines(ReadFile(stack_->StateDir() + "/.env"));
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
    }
    return "";
  }
  static std::string DemoPassword() { return ReadFile(stack_->StateDir() + "/demo-password"); }
  static std::string Origin() { return stack_->BaseUrl(); }

  // The session registry every responder of the stack shares (sessions.db in the run dir, as
  // scripts/run.sh sets STATE_DIRECTORY), or null when the test's SESSION_STORE turned it off.
  static std::unique_ptr<session::SqliteRegistry> Registry() {
    std::string path = stack_->StateDir() + "/sessions.db";
    if (::access(path.c_str(), F_OK) != 0) return nullptr;
    auto opened = session::SqliteRegistry::Open(path);
    EXPECT_TRUE(opened.ok()) << opened.error().detail;
    return opened.ok() ? std::move(opened).value() : nullptr;
  }
  // A session cookie of sub made with the stack's APP_SECRET and recorded in its registry: what
  // a sign-in at created_at would leave, for tests that are not about signing in.
  static std::string MintSession(const std::string& sub, const std::string& name,
                                 int64_t created_at) {
    session::SessionCodec codec(session::CodecOptions{Env("APP_SECRET"), "", false, 60});
    session::Session s = codec.Start(sub, name, "", created_at);
    if (auto registry = Registry()) {
      session::SessionRecord record;
      record.id = session::RecordId(s.sid);
      record.sub = sub;
      record.created_at = record.last_seen_at = created_at;
      record.device = "Test on Linux";
      record.address = "127.0.0.1";
      EXPECT_TRUE(registry->Add(record).ok());
    }
    return codec.Encode(s);
  }

  // Sets mini-okta's fault knobs (JSON members of /admin/faults).
  static void Faults(const std::string& json) {
    HttpRequest r;
    r.method = "POST";
    r.url = stack_->MiniOktaUrl() + "/admin/faults";
    r.content_type = "application/json";
    r.body = json;
    ASSERT_EQ(Fetch(r).status, 200) << json;
  }

  // One call to mini-okta's management API (Okta's Users API) with the profile token (in
  // MyAccount mode, whose .env holds no token that reads users, the run dir's admin-token).
  static HttpResponse OktaApi(const std::string& method, const std::string& path,
                              const std::string& json = "") {
    HttpRequest r;
    r.method = method;
    r.url = stack_->MiniOktaUrl() + path;
    r.content_type = "application/json";
    std::string token = Env("USER_PROFILE_TOKEN");
    if (token.empty()) token = Trimmed(ReadFile(stack_->StateDir() + "/admin-token"));
    r.headers = {"Authorization: SSWS " + token, "Accept: application/json"};
    r.body = json;
    return Fetch(r);
  }

  // A complete sign-in as the demo user; the callback's answer.
  static HttpResponse SignIn(Browser& browser, const std::string& return_to_query = "") {
    SignInSteps s =
        StartSignIn(browser, *stack_, "demo@example.com", Trimmed(DemoPassword()), return_to_query);
    EXPECT_EQ(s.login.status, 302) << s.login.body;
    EXPECT_EQ(s.signin.status, 302) << s.signin.body;
    return browser.Get(s.callback);
  }

  static std::string Trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
  }
};

}  // namespace userdesk::integration
