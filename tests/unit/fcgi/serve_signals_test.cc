// fcgi::Serve's signal thread, in a forked child with a real listening socket on fd 0: SIGHUP
// calls the reload hook (every time, and the process keeps running), SIGTERM ends Serve with 0.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "fcgi/fcgi_server.h"

namespace userdesk::fcgi {
namespace {

// Reads one byte from fd within timeout_ms; false on timeout or EOF.
bool ReadByte(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) != 1) return false;
  char c;
  return ::read(fd, &c, 1) == 1;
}

// Forks a child serving on a fresh unix socket. The child writes one byte to `ready` once its
// signals are blocked and one byte to `reloads` per on_reload call (when with_hook).
pid_t StartChild(bool with_hook, int ready, int reloads, const std::string& socket_path) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  BlockServeSignals();
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, socket_path.c_str(), sizeof addr.sun_path - 1);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 8) != 0 || ::dup2(fd, 0) != 0) {
    ::_exit(90);
  }
  ServerOptions options;
  options.threads = 2;
  options.component = "serve-signals-test";
  if (with_hook) {
    options.on_reload = [reloads] { (void)!::write(reloads, "r", 1); };
  }
  (void)!::write(ready, "x", 1);
  int rc = Serve(
      options, [](const http::Request&) { return http::Response::Text(200, "ok"); },
      [](const Error&, const http::Request&) { return http::Response::Text(500, "error"); });
  ::_exit(rc);
}

class ServeSignals : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    ASSERT_EQ(::pipe2(ready_, O_CLOEXEC), 0);
    ASSERT_EQ(::pipe2(reloads_, O_CLOEXEC), 0);
    socket_path_ = "/tmp/userdesk-serve-signals-" + std::to_string(::getpid()) + ".sock";
    ::unlink(socket_path_.c_str());
  }
  void TearDown() override {
    if (child_ > 0 && ::waitpid(child_, nullptr, WNOHANG) == 0) {
      ::kill(child_, SIGKILL);
      ::waitpid(child_, nullptr, 0);
    }
    for (int fd : {ready_[0], ready_[1], reloads_[0], reloads_[1]}) ::close(fd);
    ::unlink(socket_path_.c_str());
  }
  int ready_[2] = {-1, -1};
  int reloads_[2] = {-1, -1};
  std::string socket_path_;
  pid_t child_ = -1;
};

TEST_P(ServeSignals, HupReloadsOrIsIgnoredAndTermStopsWithZero) {
  bool with_hook = GetParam();
  child_ = StartChild(with_hook, ready_[1], reloads_[1], socket_path_);
  ASSERT_GT(child_, 0);
  ASSERT_TRUE(ReadByte(ready_[0], 5000)) << "the child did not start";
  for (int i = 0; i < 2; i++) {
    ASSERT_EQ(::kill(child_, SIGHUP), 0);
    if (with_hook) {
      EXPECT_TRUE(ReadByte(reloads_[0], 5000)) << "SIGHUP number " << i + 1 << " did not reload";
    }
  }
  if (!with_hook) ::usleep(200 * 1000);  // time for an (unwanted) death by SIGHUP
  EXPECT_EQ(::waitpid(child_, nullptr, WNOHANG), 0) << "SIGHUP must not end the process";
  ASSERT_EQ(::kill(child_, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child_, &status, 0), child_);
  child_ = -1;
  ASSERT_TRUE(WIFEXITED(status)) << "wait status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutHook, ServeSignals, ::testing::Bool());

}  // namespace
}  // namespace userdesk::fcgi
