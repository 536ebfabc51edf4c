// A real redis-server for the C++ suites (Debian's package, scripts/packages.txt): started on a
// free loopback port with a password and no persistence, stopped when the object goes. The kernel
// kills it too if the test process dies first (PR_SET_PDEATHSIG), so no server outlives a crash.
// RedisServer::Shared() is the one server of a test binary, started on first use.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/free_port.h"
#include "support/wait.h"

namespace userdesk::testing {

class RedisServer {
 public:
  static constexpr const char* kBinary = "/usr/bin/redis-server";
  static bool Installed() { return ::access(kBinary, X_OK) == 0; }

  // Does not start it: Start() does, on a free port the first time and on the same one after.
  explicit RedisServer(std::string password) : password_(std::move(password)) {}
  ~RedisServer() { Stop(); }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // True once the server accepts connections on port() (within 10 s).
  bool Start() {
    if (pid_ > 0) return true;
    if (port_ == 0) port_ = FreeLoopbackPort();
    if (port_ == 0) return false;
    std::vector<std::string> args = {kBinary,        "--port",     std::to_string(port_),
                                     "--bind",       "127.0.0.1",  "--requirepass",
                                     password_,      "--save",     "",
                                     "--appendonly", "no",         "--daemonize",
                                     "no",           "--loglevel", "warning"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    pid_t parent = ::getpid();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(1);  // the parent died before prctl took effect
      int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, STDIN_FILENO);
      ::dup2(null, STDOUT_FILENO);
      ::execv(kBinary, argv.data());
      ::_exit(127);
    }
    if (pid_ < 0) {
      pid_ = 0;
      return false;
    }
    bool up = WaitUntil([this] { return Exited() || Accepts(); }, std::chrono::seconds(10));
    if (!up || pid_ == 0) {
      Stop();
      return false;
    }
    return true;
  }

  // Stops it (SIGTERM, then SIGKILL after 5 s) and waits for it to exit; its data goes too.
  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGCONT);  // in case it was paused
    ::kill(pid_, SIGTERM);
    if (!WaitUntil([this] { return Exited(); }, std::chrono::seconds(5))) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = 0;
    }
  }

  // A server that still accepts connections (the kernel does) but answers nothing, and back.
  void Pause() {
    if (pid_ > 0) ::kill(pid_, SIGSTOP);
  }
  void Resume() {
    if (pid_ > 0) ::kill(pid_, SIGCONT);
  }

  int port() const { return port_; }
  const std::string& password() const { return password_; }

  // The test binary's one server, started on first use and stopped at exit; null when
  // redis-server is not installed or would not start.
  static RedisServer* Shared() {
    static std::unique_ptr<RedisServer> shared = [] {
      auto server = std::make_unique<RedisServer>("test-password-" + std::to_string(::getpid()));
      if (!Installed() || !server->Start()) server.reset();
      return server;
    }();
    return shared.get();
  }

 private:
  // Reaps it if it has exited (pid_ becomes 0).
  bool Exited() {
    if (pid_ > 0 && ::waitpid(pid_, nullptr, WNOHANG) == pid_) pid_ = 0;
    return pid_ <= 0;
  }

  bool Accepts() const {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
  }

  std::string password_;
  int port_ = 0;
  pid_t pid_ = 0;
};

}  // namespace userdesk::testing
