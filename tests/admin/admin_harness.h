// userdesk-admin as a sysadmin runs it: the built binary in a child process, with an env file of
// its own, against an in-process mini-okta seeded as `make run` seeds it (scripts/run.sh: the demo
// user, the web client with HOST_URL's callback, two API tokens, the tutorial's custom
// attributes). The child gets a clean environment, so no key of the developer's shell leaks in.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "base/file.h"
#include "http/http_client.h"
#include "mini_okta/test_server.h"

namespace userdesk::admin::testing {

inline constexpr char kBinary[] = USERDESK_BINARY_DIR "/userdesk-admin";
inline constexpr char kHostUrl[] = "http://127.0.0.1:3000";
inline constexpr char kClientId[] = "0oadevclient00000001";
inline constexpr char kClientSecret[] = "dev-client-secret-0123456789abcdef";
inline constexpr char kRegistrationToken[] = "00dev-registration-token-0123456789";
inline constexpr char kProfileToken[] = "00dev-profile-token-0123456789abcd";
inline constexpr char kAppSecret[] = "dev-app-secret-0123456789-0123456789";
inline constexpr char kDemoLogin[] = "demo@example.com";
inline constexpr char kDemoId[] = "00udemo0000000000001";

// scripts/run.sh's seed, with fixed ids and secrets.
inline std::string DevSeed() {
  return R"json({
    "users": [{"id": "00udemo0000000000001", "status": "ACTIVE", "password": "Userdesk-1a2b3c4d-7",
               "profile": {"login": "demo@example.com", "email": "demo@example.com",
                           "firstName": "Demo", "lastName": "User",
                           "streetAddress": "1 Main Street", "city": "Springfield", "state": "OR",
                           "zipCode": "97477", "birthdate": "1990-04-01",
                           "favoriteColor": "teal"}}],
    "clients": [{"client_id": "0oadevclient00000001",
                 "client_secret": "dev-client-secret-0123456789abcdef",
                 "client_name": "userdesk (dev)",
                 "redirect_uris": ["http://127.0.0.1:3000/authorization-code/callback"],
                 "post_logout_redirect_uris": ["http://127.0.0.1:3000", "http://127.0.0.1:3000/"]}],
    "apiTokens": ["00dev-registration-token-0123456789", "00dev-profile-token-0123456789abcd"],
    "customProperties": {"birthdate": {"title": "Birthdate", "type": "string",
                                       "permissions": [{"principal": "SELF", "action": "READ_WRITE"}]},
                         "favoriteColor": {"title": "Favorite Color", "type": "string",
                                           "permissions": [{"principal": "SELF", "action": "READ_WRITE"}]}}
  })json";
}

struct Outcome {
  int exit_code = -1;
  std::string out, err;
};

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(okta_.Start());
    char dir[] = "/tmp/userdesk-admin-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    env_ = {{"ORG_URL", okta_.server().base_url()},
            {"HOST_URL", kHostUrl},
            {"APP_SECRET", kAppSecret},
            {"CLIENT_ID", kClientId},
            {"CLIENT_SECRET", kClientSecret},
            {"REGISTRATION_TOKEN", kRegistrationToken},
            {"USER_PROFILE_TOKEN", kProfileToken},
            {"USERDESK_TEMPLATES", USERDESK_SOURCE_DIR "/templates"}};
    WriteEnv();
  }
  void TearDown() override {
    http::DropIdleConnections();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  // Sets (or, with an empty value, drops) a key of the env file.
  void SetKey(const std::string& key, const std::string& value) {
    if (value.empty()) {
      env_.erase(key);
    } else {
      env_[key] = value;
    }
    WriteEnv();
  }
  std::string EnvFile() const { return dir_ + "/userdesk.env"; }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  void WriteFile(const std::string& name, const std::string& text) {
    ASSERT_TRUE(file::WriteAtomically(Path(name), text, 0644).ok());
  }
  std::string ReadFile(const std::string& name) { return file::Read(Path(name)).value_or(""); }

  // Runs userdesk-admin with args; USERDESK_ENV_FILE names this test's env file unless
  // environment sets it (to "" for unset).
  Outcome Admin(const std::vector<std::string>& args,
                std::map<std::string, std::string> environment = {}) {
    Outcome run;
    environment.emplace("USERDESK_ENV_FILE", EnvFile());
    environment["PATH"] = "/usr/bin:/bin";
    std::vector<std::string> env_text;
    for (const auto& [k, v] : environment) {
      if (!(k == "USERDESK_ENV_FILE" && v.empty())) env_text.push_back(k + "=" + v);
    }
    std::vector<char*> envp;
    for (std::string& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_text{kBinary};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);

    std::string out_path = Path("stdout"), err_path = Path("stderr");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    pid_t pid = 0;
    int spawned = posix_spawn(&pid, kBinary, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(spawned, 0) << "cannot start " << kBinary;
    if (spawned != 0) return run;
    // bounded wait: the command's own timeouts are seconds
    int status = 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        ADD_FAILURE() << "userdesk-admin did not finish within 60 s";
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.out = file::Read(out_path).value_or("");
    run.err = file::Read(err_path).value_or("");
    return run;
  }

  // The user as mini-okta has it now.
  std::optional<mini_okta::UserRecord> UserNow(const std::string& id_or_login) {
    return okta_.store().users().Find(id_or_login);
  }

  mini_okta::testing::ServerHarness okta_{{}, {}, DevSeed()};
  std::string dir_;
  std::map<std::string, std::string> env_;

 private:
  void WriteEnv() {
    std::string text;
    for (const auto& [k, v] : env_) text += k + "=" + v + "\n";
    ASSERT_TRUE(file::WriteAtomically(EnvFile(), text, 0600).ok());
  }
};

// No secret of the env file in text.
inline ::testing::AssertionResult NoSecretIn(const std::string& text) {
  for (const char* secret : {kClientSecret, kRegistrationToken, kProfileToken, kAppSecret}) {
    if (text.find(secret) != std::string::npos) {
      return ::testing::AssertionFailure() << "a secret's value is in: " << text;
    }
  }
  return ::testing::AssertionSuccess();
}

// The lines of text that start with prefix.
inline std::vector<std::string> LinesStartingWith(const std::string& text,
                                                  const std::string& prefix) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (line.starts_with(prefix)) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

}  // namespace userdesk::admin::testing
