// The mini-okta program itself: flags, the start-up lines, serving, and a clean exit 0 on
// SIGTERM. Skipped when the binary has not been built next to the tests.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "mini_okta/test_server.h"

namespace userdesk::mini_okta {
namespace {

const std::string kBinary = std::string(USERDESK_BINARY_DIR) + "/mini-okta";

// Starts the binary with args; its stdout is readable from *out.
pid_t Spawn(const std::vector<std::string>& args, FILE** out) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv{const_cast<char*>(kBinary.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(kBinary.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  *out = fdopen(fds[0], "r");
  return pid;
}

std::string ReadLine(FILE* in) {
  char buf[512];
  if (std::fgets(buf, sizeof(buf), in) == nullptr) return "";
  std::string line(buf);
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

TEST(Binary, ServesPrintsSignInAndStopsCleanlyOnSigterm) {
  if (!std::filesystem::exists(kBinary)) GTEST_SKIP() << kBinary << " is not built";
  std::string dir =
      std::filesystem::temp_directory_path() / ("mini-okta-bin-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/seed.json") << testing::DefaultSeed();
  FILE* out = nullptr;
  pid_t pid = Spawn({"--port=0", "--data", dir + "/data.json", "--seed", dir + "/seed.json",
                     "--rate-limits=developer"},
                    &out);
  ASSERT_GT(pid, 0);
  std::string listening = ReadLine(out);
  std::string sign_in = ReadLine(out);
  const std::string prefix = "mini-okta listening on http://127.0.0.1:";
  ASSERT_EQ(listening.rfind(prefix, 0), 0u) << listening;
  EXPECT_EQ(sign_in,
            std::string("mini-okta: sign in as demo@example.com / ") + testing::kDemoPassword);
  int port = std::stoi(listening.substr(prefix.size()));
  httplib::Client client("127.0.0.1", port);
  auto res = client.Post("/api/v1/authn",
                         std::string(R"({"username":"demo@example.com","password":")") +
                             testing::kDemoPassword + "\"}",
                         "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("X-Rate-Limit-Limit"), "100");  // --rate-limits=developer
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::fclose(out);
  std::stringstream data;
  data << std::ifstream(dir + "/data.json").rdbuf();
  EXPECT_NE(data.str().find("demo@example.com"), std::string::npos);
  EXPECT_EQ(data.str().find(testing::kDemoPassword), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(Binary, BadFlagsExitWith2) {
  if (!std::filesystem::exists(kBinary)) GTEST_SKIP() << kBinary << " is not built";
  FILE* out = nullptr;
  pid_t pid = Spawn({"--port=nope"}, &out);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  std::fclose(out);
}

}  // namespace
}  // namespace userdesk::mini_okta
