// The home page through the real stack: scripts/run.sh starts nginx, spawn-fcgi with the built
// responders and mini-okta (when built) on free loopback ports; these tests talk HTTP to nginx.
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "integration/stack.h"

namespace userdesk::integration {
namespace {

class HomeStack : public StackTest {};

// KEY's value in a .env file's text ("" when absent).
std::string EnvValue(const std::string& env, const std::string& key) {
  std::istringstream lines(env);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  }
  return "";
}

// The demo password the launcher printed ("demo sign-in: <login> / <password>").
std::string DemoPassword(const Stack& stack) {
  std::smatch m;
  std::string output = stack.LauncherOutput();
  if (!std::regex_search(output, m, std::regex("demo sign-in: \\S+ / (\\S+)"))) return "";
  return m[1];
}

HttpResponse MiniOktaAuthn(const Stack& stack, const std::string& password) {
  HttpRequest request;
  request.method = "POST";
  request.url = stack.MiniOktaUrl() + "/api/v1/authn";
  request.content_type = "application/json";
  request.body = R"({"username":"demo@example.com","password":")" + password + "\"}";
  return Fetch(request);
}

// GET /oauth2/default/v1/authorize for the generated client with the given redirect_uri.
HttpResponse Authorize(const Stack& stack, const std::string& env, const std::string& redirect) {
  return Get(stack.MiniOktaUrl() + "/oauth2/default/v1/authorize?response_type=code&scope=openid" +
             "&state=state-0123456789&nonce=nonce-0123456789&client_id=" +
             EnvValue(env, "CLIENT_ID") + "&redirect_uri=" + redirect);
}

TEST_F(HomeStack, HomePageIsHtmlWithTitleAndRegisterLink) {
  HttpResponse r = Get(stack_->Url("/"));
  ASSERT_EQ(r.status, 200) << r.error << r.body;
  EXPECT_EQ(r.Header("Content-Type").rfind("text/html", 0), 0u) << r.Header("Content-Type");
  EXPECT_TRUE(std::regex_search(r.body, std::regex("<title>[^<]*userdesk[^<]*</title>"))) << r.body;
  EXPECT_TRUE(Contains(r.body, "href=\"/register\"")) << r.body;
  EXPECT_EQ(r.Header("Server"), "nginx") << "server_tokens off hides the version";
}

TEST_F(HomeStack, StylesheetIsServedByNginxWithCacheHeaders) {
  HttpResponse r = Get(stack_->Url("/static/style.css"));
  ASSERT_EQ(r.status, 200) << r.error;
  EXPECT_EQ(r.Header("Content-Type").rfind("text/css", 0), 0u) << r.Header("Content-Type");
  EXPECT_EQ(r.body, ReadFile(std::string(USERDESK_SOURCE_DIR) + "/static/style.css"));
  std::string cache = r.Header("Cache-Control");
  EXPECT_TRUE(std::regex_search(cache, std::regex("max-age=[1-9][0-9]*"))) << cache;
  EXPECT_TRUE(Contains(cache, "public")) << cache;
}

TEST_F(HomeStack, UnknownPathGetsTheAppNotFoundPage) {
  for (const char* path : {"/no-such-page", "/static/no-such-file.css", "/dashboard/x"}) {
    HttpResponse r = Get(stack_->Url(path));
    EXPECT_EQ(r.status, 404) << path << " " << r.error;
    EXPECT_EQ(r.Header("Content-Type").rfind("text/html", 0), 0u) << path;
    EXPECT_TRUE(Contains(r.body, "Page not found")) << path << ":\n" << r.body;
  }
}

TEST_F(HomeStack, ForgedSessionCookieGivesTheAnonymousPage) {
  HttpResponse r = Get(stack_->Url("/"), "userdesk_session=v1.garbage.sig");
  ASSERT_EQ(r.status, 200) << r.error << r.body;
  EXPECT_TRUE(Contains(r.body, "Sign in")) << r.body;
  EXPECT_FALSE(Contains(r.body, "Sign out")) << r.body;
  EXPECT_FALSE(Contains(r.body, "Signed in as")) << r.body;
}

TEST_F(HomeStack, EveryResponseCarriesARequestId) {
  std::set<std::string> ids;
  for (const char* path : {"/", "/static/style.css", "/no-such-page", "/"}) {
    HttpResponse r = Get(stack_->Url(path));
    ASSERT_NE(r.status, 0) << r.error;
    std::string id = r.Header("X-Request-Id");
    EXPECT_TRUE(std::regex_match(id, std::regex("[0-9a-f]{32}"))) << path << ": '" << id << "'";
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 4u) << "each request gets its own id";
}

// nginx hands its request id to the responder (fastcgi_param REQUEST_ID), which logs it, so one
// id ties the browser's response, nginx's access log and the responder's log line together.
TEST_F(HomeStack, RequestIdReachesTheResponderAndTheAccessLog) {
  HttpResponse r = Get(stack_->Url("/no-such-page"));
  std::string id = r.Header("X-Request-Id");
  ASSERT_FALSE(id.empty());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  // nginx writes the access line after the response has gone out, so wait for both.
  while (!(Contains(stack_->Log("home"), id) && Contains(stack_->Log("access"), "id=" + id)) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(Contains(stack_->Log("home"), id)) << stack_->Log("home");
  EXPECT_TRUE(Contains(stack_->Log("access"), "id=" + id)) << stack_->Log("access");
}

// Waits (bounded) until the named log holds text; that log.
std::string LogOnceItHas(const Stack& stack, const std::string& log, const std::string& text) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!Contains(stack.Log(log), text) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return stack.Log(log);
}

// A path is the requester's choice. Terminal escapes (ESC), NUL, CR/LF and bytes that are not
// UTF-8 reach the responders' and mini-okta's logs escaped by base/log (ESC as \x1b), never raw:
// a log viewed in a terminal cannot be cleared, retitled or given a forged line.
TEST_F(HomeStack, ControlCharactersInThePathAreLoggedEscaped) {
  HttpResponse r = Get(stack_->Url("/%1B%5B2J%1B%5D0;pwned%07%0D%0AFAKE%FF%5Cx1b"));
  EXPECT_EQ(r.status, 404) << r.error;
  std::string escaped = "/\\x1b[2J\\x1b]0;pwned\\x07\\x0d\\x0aFAKE\\xff\\\\x1b";
  std::string home = LogOnceItHas(*stack_, "home", escaped);
  EXPECT_TRUE(Contains(home, "GET " + escaped + " 404")) << home;
  EXPECT_FALSE(Contains(home, "\x1b")) << "a raw ESC in the log";
  EXPECT_FALSE(Contains(home, "\nFAKE"));

  if (!stack_->MiniOktaBuilt()) GTEST_SKIP() << "mini-okta is not built";
  HttpResponse okta = Get(stack_->MiniOktaUrl() + "/%1B%5B2J%00%0AFAKE");
  EXPECT_EQ(okta.status, 404) << okta.error;
  std::string mini_okta = LogOnceItHas(*stack_, "mini-okta", "/\\x1b[2J\\x00\\x0aFAKE");
  EXPECT_TRUE(Contains(mini_okta, "GET /\\x1b[2J\\x00\\x0aFAKE 404")) << mini_okta;
  EXPECT_FALSE(Contains(mini_okta, "\x1b")) << "a raw ESC in mini-okta's log";
  EXPECT_FALSE(Contains(mini_okta, std::string(1, '\0'))) << "a raw NUL in mini-okta's log";
}

TEST_F(HomeStack, OversizedBodyIsRefusedByNginx) {
  HttpResponse r = Post(stack_->Url("/"), "x=" + std::string(200 * 1024, 'a'));
  EXPECT_EQ(r.status, 413) << r.error;
  EXPECT_TRUE(Contains(r.body, "too much")) << r.body;
  EXPECT_FALSE(Contains(r.body, "nginx")) << r.body;
}

TEST_F(HomeStack, LauncherNeverPrintsSecretsAndKeepsThemPrivate) {
  std::string env_path = stack_->StateDir() + "/.env";
  std::string env = ReadFile(env_path);
  ASSERT_FALSE(env.empty());
  struct stat st {};
  ASSERT_EQ(::stat(env_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0077, 0u) << "the generated .env is readable by others";
  std::string output = stack_->LauncherOutput();
  EXPECT_TRUE(Contains(output, "userdesk is running at " + stack_->BaseUrl()));
  std::istringstream lines(env);
  std::string line;
  int secrets = 0;
  while (std::getline(lines, line)) {
    for (const char* key :
         {"APP_SECRET=", "CLIENT_SECRET=", "REGISTRATION_TOKEN=", "USER_PROFILE_TOKEN="}) {
      if (line.rfind(key, 0) != 0) continue;
      std::string value = line.substr(std::strlen(key));
      ASSERT_GE(value.size(), 16u) << key;
      EXPECT_FALSE(Contains(output, value)) << key << " value appears in the launcher output";
      secrets++;
    }
  }
  EXPECT_EQ(secrets, 4);
  EXPECT_TRUE(Contains(env, "ORG_URL=" + stack_->MiniOktaUrl() + "\n"));
  EXPECT_TRUE(Contains(env, "HOST_URL=" + stack_->BaseUrl() + "\n"));
}

// The route table (nginx/routes.txt) drives nginx: a built responder gets its locations, and the
// paths of one not built yet fall through to home's catch-all and its 404 page.
TEST_F(HomeStack, RouteTableDecidesWhichResponderAnswers) {
  std::istringstream routes(ReadFile(std::string(USERDESK_SOURCE_DIR) + "/nginx/routes.txt"));
  std::string locations = ReadFile(stack_->StateDir() + "/nginx/locations.conf");
  std::string upstreams = ReadFile(stack_->StateDir() + "/nginx/upstreams.conf");
  std::string line;
  int checked = 0;
  while (std::getline(routes, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, std::regex("([a-z-]+)\\s+=\\s+(/\\S*)\\s*"))) continue;
    std::string name = m[1], path = m[2];
    bool built =
        ::access((std::string(USERDESK_BINARY_DIR) + "/userdesk-" + name).c_str(), X_OK) == 0;
    std::string location = "location = " + path + " { fastcgi_pass userdesk_" + name + "; }";
    EXPECT_EQ(Contains(locations, location), built) << location << "\n" << locations;
    // the upstream keeps FastCGI connections open for reuse (fastcgi_keep_conn)
    std::string upstream = "upstream userdesk_" + name + " { server unix:" + stack_->StateDir() +
                           "/run/" + name + ".sock; keepalive ";
    EXPECT_EQ(Contains(upstreams, upstream), built) << upstream << "\n" << upstreams;
    if (!built) {
      HttpResponse r = Get(stack_->Url(path));
      EXPECT_EQ(r.status, 404) << path << " (userdesk-" << name << " is not built)";
      EXPECT_TRUE(Contains(r.body, "Page not found")) << path;
    }
    checked++;
  }
  EXPECT_GE(checked, 8) << "routes.txt lost its routes";
  EXPECT_TRUE(Contains(locations, "location / { fastcgi_pass userdesk_home; }")) << locations;
}

// nginx answers for a responder it cannot reach with the static 50x page, not its own.
TEST_F(HomeStack, UnreachableResponderGivesTheFriendly50xPage) {
  std::string sock = stack_->StateDir() + "/run/home.sock";
  std::string away = sock + ".away";
  ASSERT_EQ(::rename(sock.c_str(), away.c_str()), 0);
  // nginx keeps FastCGI connections open (keep-conn), and a kept one still reaches home: reload
  // nginx so its new worker has to connect, as after any restart
  int nginx = 0;
  for (const auto& [name, pid] : stack_->Pids()) {
    if (name == "nginx") nginx = pid;
  }
  ASSERT_GT(nginx, 0);
  ASSERT_EQ(::kill(nginx, SIGHUP), 0);
  HttpResponse r;
  for (int i = 0; i < 50; i++) {  // the old worker hands over within moments
    r = Get(stack_->Url("/"));
    if (r.status == 502) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(::rename(away.c_str(), sock.c_str()), 0);
  EXPECT_EQ(r.status, 502) << r.error;
  EXPECT_TRUE(Contains(r.body, "right back")) << r.body;
  EXPECT_FALSE(Contains(r.body, "nginx")) << r.body;
  EXPECT_FALSE(Contains(r.body, ".sock")) << r.body;
  EXPECT_TRUE(r.HasHeader("X-Request-Id"));
  EXPECT_FALSE(Contains(r.Header("Cache-Control"), "public")) << "an error page must not be cached";
  EXPECT_EQ(Get(stack_->Url("/")).status, 200) << "home serves again once its socket is back";
}

TEST_F(HomeStack, MiniOktaAnswersAtOrgUrl) {
  if (!stack_->MiniOktaBuilt()) GTEST_SKIP() << "mini-okta is not built";
  HttpResponse r = Get(stack_->MiniOktaUrl() + "/oauth2/default/.well-known/openid-configuration");
  EXPECT_EQ(r.status, 200) << r.error << r.body;
  EXPECT_TRUE(Contains(r.body, stack_->MiniOktaUrl() + "/oauth2/default")) << r.body;
}

// The generated .env and the mini-okta seed agree: the printed demo password signs in, both API
// tokens are accepted, the custom attributes exist, and the client's redirect URI is HOST_URL's.
TEST_F(HomeStack, GeneratedConfigurationMatchesMiniOkta) {
  if (!stack_->MiniOktaBuilt()) GTEST_SKIP() << "mini-okta is not built";
  std::string env = ReadFile(stack_->StateDir() + "/.env");
  std::string password = DemoPassword(*stack_);
  ASSERT_FALSE(password.empty()) << stack_->LauncherOutput();
  HttpResponse authn = MiniOktaAuthn(*stack_, password);
  EXPECT_EQ(authn.status, 200) << authn.body;
  EXPECT_TRUE(Contains(authn.body, "\"SUCCESS\"")) << authn.body;

  for (const char* key : {"REGISTRATION_TOKEN", "USER_PROFILE_TOKEN"}) {
    HttpRequest request;
    request.url = stack_->MiniOktaUrl() + "/api/v1/users/demo@example.com";
    request.headers = {"Authorization: SSWS " + EnvValue(env, key), "Accept: application/json"};
    HttpResponse user = Fetch(request);
    EXPECT_EQ(user.status, 200) << key << ": " << user.body;
    EXPECT_TRUE(Contains(user.body, "\"favoriteColor\"")) << user.body;
    EXPECT_TRUE(Contains(user.body, "\"birthdate\"")) << user.body;
  }
  HttpResponse ours = Authorize(*stack_, env, stack_->BaseUrl() + "/authorization-code/callback");
  EXPECT_NE(ours.status, 400) << ours.body;
  EXPECT_LT(ours.status, 500) << ours.body;
  HttpResponse other = Authorize(*stack_, env, "http://127.0.0.1:1/authorization-code/callback");
  EXPECT_EQ(other.status, 400) << "mini-okta must refuse an unregistered redirect_uri";
}

// A second start keeps the generated secrets and mini-okta's data (sessions and users survive);
// a start on other ports rewrites only ORG_URL and HOST_URL.
TEST(StackRestart, KeepsSecretsAndDataAndFollowsNewPorts) {
  Stack stack;
  ASSERT_TRUE(stack.Start());
  std::string first_env = ReadFile(stack.StateDir() + "/.env");
  std::string password = DemoPassword(stack);
  ASSERT_EQ(stack.Stop(), 0) << stack.LauncherOutput();

  ASSERT_TRUE(stack.Start());
  EXPECT_EQ(ReadFile(stack.StateDir() + "/.env"), first_env);
  EXPECT_EQ(DemoPassword(stack), password);
  EXPECT_EQ(Get(stack.Url("/")).status, 200);
  if (stack.MiniOktaBuilt()) {
    EXPECT_TRUE(std::filesystem::exists(stack.StateDir() + "/mini-okta.json"));
    EXPECT_EQ(MiniOktaAuthn(stack, password).status, 200);
  }
  ASSERT_EQ(stack.Stop(), 0) << stack.LauncherOutput();

  stack.PickNewPorts();
  ASSERT_TRUE(stack.Start());
  std::string moved_env = ReadFile(stack.StateDir() + "/.env");
  EXPECT_EQ(EnvValue(moved_env, "HOST_URL"), stack.BaseUrl());
  EXPECT_EQ(EnvValue(moved_env, "ORG_URL"), stack.MiniOktaUrl());
  for (const char* key :
       {"APP_SECRET", "CLIENT_ID", "CLIENT_SECRET", "REGISTRATION_TOKEN", "USER_PROFILE_TOKEN"}) {
    EXPECT_EQ(EnvValue(moved_env, key), EnvValue(first_env, key)) << key;
  }
  EXPECT_EQ(Get(stack.Url("/")).status, 200);
  if (stack.MiniOktaBuilt()) {
    HttpResponse r = Authorize(stack, moved_env, stack.BaseUrl() + "/authorization-code/callback");
    EXPECT_NE(r.status, 400) << "the client's redirect URI follows the new PORT: " << r.body;
  }
  EXPECT_EQ(stack.Stop(), 0) << stack.LauncherOutput();
}

// SIGTERM to the launcher: it exits 0 and nothing it started is left running or listening.
TEST(StackShutdown, SigtermStopsEveryProcessAndFreesThePorts) {
  Stack stack;
  ASSERT_TRUE(stack.Start());
  std::vector<std::pair<std::string, int>> pids = stack.Pids();
  std::set<std::string> names;
  for (const auto& [name, pid] : pids) {
    names.insert(name);
    EXPECT_TRUE(ProcessRunning(pid)) << name << " " << pid;
  }
  EXPECT_TRUE(names.count("nginx")) << stack.LauncherOutput();
  EXPECT_TRUE(names.count("home")) << stack.LauncherOutput();
  if (stack.MiniOktaBuilt()) {
    EXPECT_TRUE(names.count("mini-okta")) << stack.LauncherOutput();
    EXPECT_TRUE(PortAcceptsConnections(stack.mini_okta_port()));
  }
  ASSERT_EQ(Get(stack.Url("/")).status, 200);

  int status = stack.Stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << Stack::DescribeStatus(status) << "; output:\n"
      << stack.LauncherOutput();
  for (const auto& [name, pid] : pids) EXPECT_FALSE(ProcessRunning(pid)) << name << " " << pid;
  EXPECT_FALSE(PortAcceptsConnections(stack.port()));
  EXPECT_FALSE(PortAcceptsConnections(stack.mini_okta_port()));
  EXPECT_FALSE(std::filesystem::exists(stack.StateDir() + "/run/home.sock"));
  std::string output = stack.LauncherOutput();
  EXPECT_FALSE(Contains(output, "exited with status")) << "a process did not exit 0:\n" << output;
  EXPECT_FALSE(Contains(output, "killing it")) << output;
}

// A busy port makes the launcher fail fast, naming the port, and start nothing.
TEST(StackLauncher, BusyPortFailsFastNamingThePort) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  int busy = ntohs(addr.sin_port);

  Stack::Options options;
  options.extra_env = {{"PORT", std::to_string(busy)}};
  options.start_timeout = std::chrono::seconds(15);
  Stack stack(options);
  auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(stack.Start());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  int status = stack.Stop();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << Stack::DescribeStatus(status);
  std::string output = stack.LauncherOutput();
  EXPECT_TRUE(Contains(output, "port " + std::to_string(busy))) << output;
  EXPECT_TRUE(stack.Pids().empty()) << output;
  ::close(fd);
}

// With a .env at the top of the checkout (a real Okta org), the launcher uses that file as is and
// does not start mini-okta. The checkout here is a temp dir linking to the real one's folders.
TEST(StackLauncher, RepoDotEnvIsUsedInsteadOfMiniOkta) {
  char dir_template[] = "/tmp/userdesk-it-repo-XXXXXX";
  ASSERT_NE(::mkdtemp(dir_template), nullptr);
  std::filesystem::path repo = dir_template;
  for (const char* folder : {"scripts", "nginx", "static", "templates"}) {
    std::filesystem::create_directory_symlink(std::filesystem::path(USERDESK_SOURCE_DIR) / folder,
                                              repo / folder);
  }
  // the tutorial's .env, all seven keys (the org is never contacted: sign-in fetches lazily)
  std::ofstream(repo / ".env") << "ORG_URL=https://dev-000000.okta.example\n"
                               << "HOST_URL=http://127.0.0.1:3000\n"
                               << "APP_SECRET=test-secret-of-at-least-32-characters\n"
                               << "CLIENT_ID=0oa000000000000000x7\n"
                               << "CLIENT_SECRET=client-secret-from-the-okta-console\n"
                               << "REGISTRATION_TOKEN=00registration-token\n"
                               << "USER_PROFILE_TOKEN=00user-profile-token\n";
  std::filesystem::permissions(repo, std::filesystem::perms::owner_all |
                                         std::filesystem::perms::others_exec |
                                         std::filesystem::perms::group_exec);
  {
    Stack::Options options;
    options.source_dir = repo.string();
    options.extra_env = {{"USERDESK_MINI_OKTA", "0"}};
    Stack stack(options);
    ASSERT_TRUE(stack.Start());
    std::string output = stack.LauncherOutput();
    EXPECT_TRUE(Contains(output, "using " + (repo / ".env").string())) << output;
    EXPECT_FALSE(Contains(output, "demo sign-in")) << output;
    for (const auto& [name, pid] : stack.Pids()) EXPECT_NE(name, "mini-okta");
    EXPECT_FALSE(std::filesystem::exists(stack.StateDir() + "/.env"));
    EXPECT_FALSE(PortAcceptsConnections(stack.mini_okta_port()));
    EXPECT_EQ(Get(stack.Url("/")).status, 200);
    EXPECT_EQ(stack.Stop(), 0) << stack.LauncherOutput();
  }
  std::filesystem::remove_all(repo);
}

// A second launcher on a run dir that is in use refuses to start and leaves the first one alone.
TEST(StackLauncher, SecondLauncherOnTheSameRunDirIsRefused) {
  Stack stack;
  ASSERT_TRUE(stack.Start());
  std::string command =
      "PORT=" + std::to_string(userdesk::testing::FreeLoopbackPort()) +
      " MINI_OKTA_PORT=" + std::to_string(userdesk::testing::FreeLoopbackPort()) +
      " USERDESK_MINI_OKTA=1 USERDESK_BUILD_DIR='" USERDESK_BINARY_DIR "' USERDESK_RUN_DIR='" +
      stack.StateDir() + "' timeout 20 '" USERDESK_SOURCE_DIR "/scripts/run.sh' 2>&1 </dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[512];
  while (size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << Stack::DescribeStatus(status);
  EXPECT_TRUE(Contains(output, "another scripts/run.sh is using")) << output;
  EXPECT_EQ(Get(stack.Url("/")).status, 200) << "the first stack still serves";
  EXPECT_EQ(stack.Stop(), 0) << stack.LauncherOutput();
}

}  // namespace
}  // namespace userdesk::integration
