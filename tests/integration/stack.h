// The integration-test harness: starts the real dev stack (scripts/run.sh: mini-okta, spawn-fcgi
// responders, nginx) on free loopback ports in a temporary run dir, and a small libcurl client
// that returns status, headers and body without following redirects. Header-only, so every
// tests/integration/*_test.cc can include it. It must never touch the developer's build/dev or
// the repo's .env: the launcher runs with USERDESK_MINI_OKTA=1 and its own run dir.
#pragma once

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "support/free_port.h"

extern char** environ;

namespace userdesk::integration {

// ---- small text, process and socket helpers ------------------------------------------------

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

inline size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    n++;
  }
  return n;
}

// True when something accepts TCP connections on 127.0.0.1:port.
inline bool PortAcceptsConnections(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// True while pid exists and is not a zombie.
inline bool ProcessRunning(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (stat.empty()) return false;
  size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z';
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// ---- HTTP client ----------------------------------------------------------------------------

struct HttpResponse {
  long status = 0;                                  // 0 when the request failed (see error)
  std::multimap<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string error;

  // The first value of a header ("" when absent); name is case-insensitive.
  std::string Header(std::string name) const {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool HasHeader(const std::string& name) const { return !Header(name).empty(); }

  // Every value of a header, in order (e.g. each Set-Cookie).
  std::vector<std::string> Headers(std::string name) const {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::vector<std::string> out;
    auto [first, last] = headers.equal_range(name);
    for (auto it = first; it != last; ++it) out.push_back(it->second);
    return out;
  }

  // "name=value" from the Set-Cookie that sets cookie `name` ("" when none does), ready to be
  // passed as the cookie of the next request.
  std::string SetCookie(const std::string& name) const {
    for (const std::string& header : Headers("set-cookie")) {
      std::string pair = header.substr(0, header.find(';'));
      if (pair.rfind(name + "=", 0) == 0) return pair;
    }
    return "";
  }
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string cookie;                // the Cookie header's value, e.g. "a=1; b=2"
  std::string body;                  // sent for POST
  std::string content_type = "application/x-www-form-urlencoded";
  long timeout_ms = 10000;
  std::string source_address;  // e.g. "127.0.0.2": another client on loopback ("": the default)
  bool path_as_is = false;     // send "//", "/./" and "/../" in the path as written
};

namespace detail {
inline size_t AppendBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}
inline size_t AppendHeader(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::multimap<std::string, std::string>*>(user);
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) headers->clear();  // a new response (after 100 Continue)
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    size_t start = line.find_first_not_of(" \t", colon + 1);
    size_t end = line.find_last_not_of(" \t\r\n");
    std::string value =
        start == std::string::npos || end < start ? "" : line.substr(start, end - start + 1);
    headers->emplace(std::move(name), std::move(value));
  }
  return size * n;
}
}  // namespace detail

// Sends one request; never follows redirects, keeps no cookies between calls.
inline HttpResponse Fetch(const HttpRequest& request) {
  static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  HttpResponse response;
  CURL* curl = initialized ? curl_easy_init() : nullptr;
  if (curl == nullptr) {
    response.error = "curl_easy_init failed";
    return response;
  }
  curl_slist* header_list = nullptr;
  for (const std::string& h : request.headers)
    header_list = curl_slist_append(header_list, h.c_str());
  if (request.method == "POST") {
    header_list = curl_slist_append(header_list, ("Content-Type: " + request.content_type).c_str());
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  if (!request.cookie.empty()) curl_easy_setopt(curl, CURLOPT_COOKIE, request.cookie.c_str());
  std::string interface = "host!" + request.source_address;  // an address, never a device name
  if (!request.source_address.empty()) curl_easy_setopt(curl, CURLOPT_INTERFACE, interface.c_str());
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  if (request.path_as_is) curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, detail::AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, detail::AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  } else {
    response.error = curl_easy_strerror(rc);
  }
  curl_slist_free_all(header_list);
  curl_easy_cleanup(curl);
  return response;
}

inline HttpResponse Get(const std::string& url, const std::string& cookie = "") {
  HttpRequest request;
  request.url = url;
  request.cookie = cookie;
  return Fetch(request);
}

inline HttpResponse Post(const std::string& url, const std::string& form_body,
                         const std::string& cookie = "") {
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.body = form_body;
  request.cookie = cookie;
  return Fetch(request);
}

// ---- the stack ------------------------------------------------------------------------------

// One running dev stack: scripts/run.sh with its own run dir and ports. Stop() (or the
// destructor) sends SIGTERM to the launcher and waits; the launcher stops what it started.
class Stack {
 public:
  struct Options {
    std::string source_dir = USERDESK_SOURCE_DIR;  // the repo: scripts/, nginx/, templates/
    std::string binary_dir = USERDESK_BINARY_DIR;  // the build these tests were built in
    std::chrono::seconds start_timeout{60};
    std::chrono::seconds stop_timeout{30};
    std::vector<std::pair<std::string, std::string>> extra_env;
  };

  Stack() : Stack(Options{}) {}
  explicit Stack(Options options) : options_(std::move(options)) {}
  Stack(const Stack&) = delete;
  Stack& operator=(const Stack&) = delete;
  ~Stack() {
    Stop();
    if (!run_dir_.empty() && std::getenv("USERDESK_KEEP_RUN_DIR") == nullptr) {
      std::error_code ignored;
      std::filesystem::remove_all(run_dir_, ignored);
    }
  }

  // Starts the launcher and waits for its "userdesk is running at <url>" line. The first call
  // makes the temporary run dir and picks the ports; a later call (after Stop) restarts the
  // stack on the same run dir and ports, as a developer's second `make run` would.
  ::testing::AssertionResult Start() {
    if (launcher_pid_ > 0) return ::testing::AssertionFailure() << "already started";
    if (run_dir_.empty()) {
      char dir_template[] = "/tmp/userdesk-it-XXXXXX";
      if (::mkdtemp(dir_template) == nullptr) {
        return ::testing::AssertionFailure() << "mkdtemp: " << std::strerror(errno);
      }
      run_dir_ = dir_template;
      // As root, nginx's workers run as nobody and must reach the sockets inside.
      ::chmod(run_dir_.c_str(), 0711);
      PickNewPorts();
    }
    if (port_ == 0 || mini_okta_port_ == 0) {
      return ::testing::AssertionFailure() << "no free loopback port";
    }
    log_path_ = run_dir_ + "/launcher.log";
    std::string state_dir = run_dir_ + "/stack";
    std::string script = options_.source_dir + "/scripts/run.sh";

    std::vector<std::pair<std::string, std::string>> overrides = {
        {"PORT", std::to_string(port_)}, {"MINI_OKTA_PORT", std::to_string(mini_okta_port_)},
        {"USERDESK_RUN_DIR", state_dir}, {"USERDESK_BUILD_DIR", options_.binary_dir},
        {"USERDESK_MINI_OKTA", "1"},
    };
    for (const auto& kv : options_.extra_env) overrides.push_back(kv);
    // The dev stack limits /login, /register and /reset-password like production (10r/m, burst
    // 20 per client), and some tests send /login 30-40 times in a row: a generous limit unless
    // the test sets its own (rate_limit_stack_test.cc does).
    auto set_by_test = [&](const std::string& name) {
      return std::any_of(options_.extra_env.begin(), options_.extra_env.end(),
                         [&](const auto& kv) { return kv.first == name; });
    };
    if (!set_by_test("USERDESK_SIGNIN_RATE"))
      overrides.emplace_back("USERDESK_SIGNIN_RATE", "6000r/m");
    if (!set_by_test("USERDESK_SIGNIN_BURST"))
      overrides.emplace_back("USERDESK_SIGNIN_BURST", "1000");
    // Prepared before fork: the child only calls async-signal-safe functions.
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; e++) {
      std::string entry(*e);
      std::string name = entry.substr(0, entry.find('='));
      bool replaced = std::any_of(overrides.begin(), overrides.end(),
                                  [&](const auto& kv) { return kv.first == name; });
      if (!replaced) env_strings.push_back(std::move(entry));
    }
    for (const auto& [name, value] : overrides) env_strings.push_back(name + "=" + value);
    std::vector<char*> envp;
    for (std::string& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string bash = "/bin/bash";
    std::vector<char*> argv = {bash.data(), script.data(), nullptr};

    int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (log_fd < 0) return ::testing::AssertionFailure() << "open " << log_path_;
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
      ::close(log_fd);
      return ::testing::AssertionFailure() << "fork: " << std::strerror(errno);
    }
    if (pid == 0) {
      // If the test process dies (a crash, a ctest timeout), the launcher still stops the stack.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(127);
      ::dup2(log_fd, STDOUT_FILENO);
      ::dup2(log_fd, STDERR_FILENO);
      int null_fd = ::open("/dev/null", O_RDONLY);
      if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(log_fd);
    launcher_pid_ = pid;

    std::string ready = "userdesk is running at " + BaseUrl();
    auto deadline = std::chrono::steady_clock::now() + options_.start_timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (LauncherOutput().find(ready + "\n") != std::string::npos) {
        return ::testing::AssertionSuccess();
      }
      int status = 0;
      if (::waitpid(launcher_pid_, &status, WNOHANG) == launcher_pid_) {
        launcher_pid_ = -1;
        exit_status_ = status;
        return ::testing::AssertionFailure() << "scripts/run.sh exited before the stack was up ("
                                             << DescribeStatus(status) << "); its output:\n"
                                             << LauncherOutput();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return ::testing::AssertionFailure() << "no \"" << ready << "\" line within "
                                         << options_.start_timeout.count() << " s; output:\n"
                                         << LauncherOutput();
  }

  // SIGTERM to the launcher, then waits for it (SIGKILL to everything after stop_timeout).
  // Returns the launcher's wait status (or the one recorded when it exited on its own).
  int Stop() {
    if (launcher_pid_ <= 0) return exit_status_;
    ::kill(launcher_pid_, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + options_.stop_timeout;
    int status = 0;
    while (true) {
      pid_t done = ::waitpid(launcher_pid_, &status, WNOHANG);
      if (done == launcher_pid_ || done < 0) break;
      if (std::chrono::steady_clock::now() > deadline) {
        for (const auto& [name, pid] : Pids()) ::kill(pid, SIGKILL);
        ::kill(launcher_pid_, SIGKILL);
        ::waitpid(launcher_pid_, &status, 0);
        ADD_FAILURE() << "scripts/run.sh did not stop within " << options_.stop_timeout.count()
                      << " s of SIGTERM; killed it and its processes";
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    launcher_pid_ = -1;
    exit_status_ = status;
    return status;
  }

  // The processes the launcher started, from <run dir>/pids ("<name> <pid>" lines).
  std::vector<std::pair<std::string, int>> Pids() const {
    std::vector<std::pair<std::string, int>> out;
    std::istringstream in(ReadFile(StateDir() + "/pids"));
    std::string name;
    int pid = 0;
    while (in >> name >> pid) out.emplace_back(name, pid);
    return out;
  }

  // Picks two other free ports for the next Start (the run dir is kept).
  void PickNewPorts() {
    port_ = userdesk::testing::FreeLoopbackPort();
    do {
      mini_okta_port_ = userdesk::testing::FreeLoopbackPort();
    } while (mini_okta_port_ == port_ && port_ != 0);
  }

  static std::string DescribeStatus(int status) {
    if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "wait status " + std::to_string(status);
  }

  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string Url(const std::string& path) const { return BaseUrl() + path; }
  std::string MiniOktaUrl() const { return "http://127.0.0.1:" + std::to_string(mini_okta_port_); }
  int port() const { return port_; }
  int mini_okta_port() const { return mini_okta_port_; }
  bool running() const { return launcher_pid_ > 0; }
  // USERDESK_RUN_DIR of the launcher: .env, pids, logs/, run/, nginx/.
  std::string StateDir() const { return run_dir_ + "/stack"; }
  std::string LauncherOutput() const { return ReadFile(log_path_); }
  // The output of one process the launcher started: "nginx" is its error log, "access" nginx's
  // access log, any other name (home, mini-okta, ...) that process's stderr and stdout.
  std::string Log(const std::string& name) const {
    if (name == "nginx") return ReadFile(StateDir() + "/logs/error.log");
    return ReadFile(StateDir() + "/logs/" + name + ".log");
  }
  bool MiniOktaBuilt() const {
    return ::access((options_.binary_dir + "/mini-okta").c_str(), X_OK) == 0;
  }

 private:
  Options options_;
  std::string run_dir_;
  std::string log_path_;
  int port_ = 0;
  int mini_okta_port_ = 0;
  pid_t launcher_pid_ = -1;
  int exit_status_ = -1;
};

// A test suite sharing one running stack. ctest runs each test in its own process, so in
// practice every test gets a fresh stack (and fault knobs or rotated keys never leak).
class StackTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { StartStack(Stack::Options{}); }
  // For a suite that needs settings of its own: its SetUpTestSuite calls this with extra_env.
  static void StartStack(Stack::Options options) {
    stack_ = new Stack(std::move(options));
    ::testing::AssertionResult started = stack_->Start();
    start_error_ = started ? "" : started.message();
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(start_error_.empty()) << start_error_; }

  static inline Stack* stack_ = nullptr;
  static inline std::string start_error_;
};

}  // namespace userdesk::integration
