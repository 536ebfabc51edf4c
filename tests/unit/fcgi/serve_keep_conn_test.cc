// fcgi::Serve with kept FastCGI connections (nginx's fastcgi_keep_conn), in a forked child serving
// on a real unix socket on fd 0, talked to by a minimal FastCGI client: several requests on one
// connection (a leftover request body included), idle kept connections holding no thread, so
// neither a new connection nor SIGTERM waits for them, a request in flight finishing on SIGTERM, and the listening
// socket still listening after the stop (systemd keeps it for the next instance); and requests
// that park while they wait (base/park.h) holding no worker, refused past the bound, and finishing
// on SIGTERM.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/park.h"
#include "fcgi/fcgi_server.h"

namespace userdesk::fcgi {
namespace {

constexpr unsigned char kBeginRequest = 1, kEndRequest = 3, kParams = 4, kStdin = 5, kStdout = 6;

std::string Record(unsigned char type, const std::string& content) {
  std::string r = {1,
                   static_cast<char>(type),
                   0,
                   1,
                   static_cast<char>(content.size() >> 8),
                   static_cast<char>(content.size() & 0xff),
                   0,
                   0};
  return r + content;
}

// name-value pairs with one-byte lengths (all under 128 here)
std::string Pair(const std::string& name, const std::string& value) {
  return std::string(1, static_cast<char>(name.size())) +
         std::string(1, static_cast<char>(value.size())) + name + value;
}

// A request up to (not including) the empty stdin record that ends it.
std::string RequestStart(const std::string& method, const std::string& path, bool keep_conn,
                         const std::string& body = "", size_t content_length = 0) {
  std::string begin = {0, 1, static_cast<char>(keep_conn ? 1 : 0), 0, 0, 0, 0, 0};
  std::string params = Pair("REQUEST_METHOD", method) + Pair("DOCUMENT_URI", path);
  if (content_length > 0 || !body.empty()) {
    params +=
        Pair("CONTENT_LENGTH", std::to_string(content_length > 0 ? content_length : body.size()));
  }
  std::string out = Record(kBeginRequest, begin) + Record(kParams, params) + Record(kParams, "");
  if (!body.empty()) out += Record(kStdin, body);
  return out;
}
std::string EndOfStdin() { return Record(kStdin, ""); }

bool SendAll(int fd, const std::string& data) {
  return ::send(fd, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
}

// Reads exactly n bytes within timeout_ms; false on timeout, EOF or error.
bool ReadFull(int fd, char* out, size_t n, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (n > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) != 1) return false;
    ssize_t got = ::read(fd, out, n);
    if (got <= 0) return false;
    out += got;
    n -= static_cast<size_t>(got);
  }
  return true;
}

// The stdout of one response (up to its END_REQUEST record); nullopt on timeout or EOF.
std::optional<std::string> ReadResponse(int fd, int timeout_ms = 5000) {
  std::string out;
  for (;;) {
    unsigned char h[8];
    if (!ReadFull(fd, reinterpret_cast<char*>(h), 8, timeout_ms)) return std::nullopt;
    size_t length = static_cast<size_t>(h[4] << 8 | h[5]) + h[6];
    std::string content(length, '\0');
    if (length > 0 && !ReadFull(fd, content.data(), length, timeout_ms)) return std::nullopt;
    if (h[1] == kStdout) out += content.substr(0, static_cast<size_t>(h[4] << 8 | h[5]));
    if (h[1] == kEndRequest) return out;
  }
}

// True when the peer closes fd (EOF) within timeout_ms.
bool ClosedByPeer(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, timeout_ms) != 1) return false;
  char c;
  return ::read(fd, &c, 1) == 0;
}

int Connect(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

class ServeKeepConn : public ::testing::Test {
 protected:
  void SetUp() override {
    socket_path_ = "/tmp/userdesk-keep-conn-" + std::to_string(::getpid()) + ".sock";
    ::unlink(socket_path_.c_str());
    // The parent keeps its own descriptor of the listening socket, as systemd does.
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, socket_path_.c_str(), sizeof addr.sun_path - 1);
    ASSERT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(listen_fd_, 16), 0);
  }
  void TearDown() override {
    if (child_ > 0 && ::waitpid(child_, nullptr, WNOHANG) == 0) {
      ::kill(child_, SIGKILL);
      ::waitpid(child_, nullptr, 0);
    }
    for (int fd : open_) ::close(fd);
    ::close(listen_fd_);
    ::unlink(socket_path_.c_str());
  }

  // Forks the server: `threads` workers; the handler answers "<method> <path> <body>", and
  // sleeps half a second first on /slow; on /park it waits a second parked, as a request waiting
  // for Okta does, or answers 503 "busy" when the wait is refused.
  void StartChild(int threads, int max_parked = 256) {
    child_ = ::fork();
    ASSERT_GE(child_, 0);
    if (child_ != 0) return;
    BlockServeSignals();
    if (::dup2(listen_fd_, 0) != 0) ::_exit(90);
    ServerOptions options;
    options.threads = threads;
    options.max_parked = max_parked;
    options.max_body_bytes = 16;
    options.component = "serve-keep-conn-test";
    int rc = Serve(
        options,
        [](const http::Request& r) {
          if (r.path == "/slow") std::this_thread::sleep_for(std::chrono::milliseconds(500));
          if (r.path == "/park") {
            park::Scope parked;
            if (!parked.admitted()) return http::Response::Text(503, "busy");
            std::this_thread::sleep_for(std::chrono::seconds(1));
          }
          return http::Response::Text(200, r.method + " " + r.path + " " + r.body);
        },
        [](const Error& e, const http::Request&) {
          return http::Response::Text(e.code == ErrorCode::kPayloadTooLarge ? 413 : 500, "error");
        });
    ::_exit(rc);
  }
  int Open() {
    int fd = Connect(socket_path_);
    if (fd >= 0) open_.push_back(fd);
    return fd;
  }
  // n new connections, each sent one whole request for path; empty if any failed.
  std::vector<int> SendOnNewConnections(int n, const std::string& path, bool keep_conn) {
    std::vector<int> fds;
    for (int i = 0; i < n; i++) {
      int fd = Open();
      if (fd < 0 || !SendAll(fd, RequestStart("GET", path, keep_conn) + EndOfStdin())) return {};
      fds.push_back(fd);
    }
    return fds;
  }
  // SIGTERM, then the child's exit status (-1 unless it exits within 5 s).
  int StopChild() {
    ::kill(child_, SIGTERM);
    for (int i = 0; i < 500; i++) {
      int status = 0;
      if (::waitpid(child_, &status, WNOHANG) == child_) {
        child_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      ::usleep(10 * 1000);
    }
    return -1;
  }

  std::string socket_path_;
  int listen_fd_ = -1;
  pid_t child_ = -1;
  std::vector<int> open_;
};

TEST_F(ServeKeepConn, ServesSeveralRequestsOnOneKeptConnection) {
  StartChild(2);
  int fd = Open();
  ASSERT_GE(fd, 0);
  for (int i = 0; i < 3; i++) {
    ASSERT_TRUE(SendAll(fd, RequestStart("GET", "/n" + std::to_string(i), true) + EndOfStdin()));
    auto response = ReadResponse(fd);
    ASSERT_TRUE(response) << "request " << i << " on the kept connection got no answer";
    EXPECT_NE(response->find("GET /n" + std::to_string(i) + " "), std::string::npos) << *response;
  }
  // A body whose end-of-stdin record arrives after the handler has read the body.
  ASSERT_TRUE(SendAll(fd, RequestStart("POST", "/form", true, "a=1")));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(SendAll(fd, EndOfStdin()));
  auto posted = ReadResponse(fd);
  ASSERT_TRUE(posted);
  EXPECT_NE(posted->find("POST /form a=1"), std::string::npos) << *posted;
  // A body over the cap is never read by the handler (413); it must not spoil the next request.
  ASSERT_TRUE(SendAll(fd, RequestStart("POST", "/big", true, std::string(100, 'x'))));
  ASSERT_TRUE(SendAll(fd, EndOfStdin()));
  auto too_large = ReadResponse(fd);
  ASSERT_TRUE(too_large);
  EXPECT_NE(too_large->find("Status: 413"), std::string::npos) << *too_large;
  ASSERT_TRUE(SendAll(fd, RequestStart("GET", "/after", true) + EndOfStdin()));
  auto after = ReadResponse(fd);
  ASSERT_TRUE(after) << "the request after an unread body got no answer";
  EXPECT_NE(after->find("GET /after"), std::string::npos) << *after;
  EXPECT_EQ(StopChild(), 0);
}

TEST_F(ServeKeepConn, ClosesTheConnectionWithoutKeepConn) {
  StartChild(2);
  int fd = Open();
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd, RequestStart("GET", "/once", false) + EndOfStdin()));
  ASSERT_TRUE(ReadResponse(fd));
  EXPECT_TRUE(ClosedByPeer(fd, 5000));
  EXPECT_EQ(StopChild(), 0);
}

TEST_F(ServeKeepConn, AnIdleKeptConnectionLeavesNewConnectionsServed) {
  StartChild(2);
  int idle = Open();
  ASSERT_GE(idle, 0);
  ASSERT_TRUE(SendAll(idle, RequestStart("GET", "/first", true) + EndOfStdin()));
  ASSERT_TRUE(ReadResponse(idle));
  // `idle` waits for its next request; new connections are still taken, one by one
  for (int i = 0; i < 3; i++) {
    int fresh = Connect(socket_path_);
    ASSERT_GE(fresh, 0);
    ASSERT_TRUE(SendAll(fresh, RequestStart("GET", "/fresh", false) + EndOfStdin()));
    EXPECT_TRUE(ReadResponse(fresh, 3000)) << "new connection " << i << " was not served";
    ::close(fresh);  // as nginx does after a response without keep-conn (libfcgi waits for it)
  }
  EXPECT_EQ(StopChild(), 0);
}

// nginx keeps up to `keepalive` idle connections per upstream; one thread must serve them all and
// new connections besides, since an idle kept connection waits without a thread.
TEST_F(ServeKeepConn, IdleKeptConnectionsHoldNoThread) {
  StartChild(1);
  std::vector<int> kept = SendOnNewConnections(4, "/first", true);
  ASSERT_EQ(kept.size(), 4u);
  for (int fd : kept) ASSERT_TRUE(ReadResponse(fd, 3000)) << "a kept connection was not served";
  // all four idle now; a new connection is served by the one thread
  int fresh = Open();
  ASSERT_GE(fresh, 0);
  ASSERT_TRUE(SendAll(fresh, RequestStart("GET", "/fresh", true) + EndOfStdin()));
  auto served = ReadResponse(fresh, 3000);
  ASSERT_TRUE(served) << "a new connection waited behind idle kept connections";
  EXPECT_NE(served->find("GET /fresh"), std::string::npos) << *served;
  // and each kept connection carries its next request, newest first
  for (auto it = kept.rbegin(); it != kept.rend(); ++it) {
    ASSERT_TRUE(SendAll(*it, RequestStart("GET", "/again", true) + EndOfStdin()));
    auto again = ReadResponse(*it, 3000);
    ASSERT_TRUE(again) << "a kept connection's second request was not served";
    EXPECT_NE(again->find("GET /again"), std::string::npos) << *again;
  }
  EXPECT_EQ(StopChild(), 0);
  for (int fd : kept) EXPECT_TRUE(ClosedByPeer(fd, 1000));
}

TEST_F(ServeKeepConn, SigtermClosesIdleKeptConnectionsAndLeavesTheSocketListening) {
  StartChild(2);
  int a = Open();
  int b = Open();
  ASSERT_GE(a, 0);
  ASSERT_GE(b, 0);
  for (int fd : {a, b}) {
    ASSERT_TRUE(SendAll(fd, RequestStart("GET", "/", true) + EndOfStdin()));
    ASSERT_TRUE(ReadResponse(fd));
  }
  // both connections idle, kept
  EXPECT_EQ(StopChild(), 0) << "Serve did not stop with exit status 0 within 5 s";
  EXPECT_TRUE(ClosedByPeer(a, 1000));
  EXPECT_TRUE(ClosedByPeer(b, 1000));
  // the socket still listens: the next instance (systemd) would accept this connection
  int later = Open();
  EXPECT_GE(later, 0) << "the listening socket refuses connections after the stop";
}

TEST_F(ServeKeepConn, SigtermLetsARequestInFlightFinish) {
  StartChild(2);
  int fd = Open();
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(SendAll(fd, RequestStart("GET", "/slow", true) + EndOfStdin()));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // in the handler by now
  ::kill(child_, SIGTERM);
  auto response = ReadResponse(fd);
  ASSERT_TRUE(response) << "the request in flight was dropped";
  EXPECT_NE(response->find("GET /slow"), std::string::npos) << *response;
  EXPECT_TRUE(ClosedByPeer(fd, 2000));
  EXPECT_EQ(StopChild(), 0);
}

TEST_F(ServeKeepConn, ParkedRequestsHoldNoWorker) {
  StartChild(2);
  // three times the workers, all waiting for a second
  std::vector<int> parked = SendOnNewConnections(6, "/park", false);
  ASSERT_EQ(parked.size(), 6u);
  auto start = std::chrono::steady_clock::now();
  int fresh = Open();
  ASSERT_GE(fresh, 0);
  ASSERT_TRUE(SendAll(fresh, RequestStart("GET", "/fast", false) + EndOfStdin()));
  auto response = ReadResponse(fresh, 3000);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(response);
  EXPECT_NE(response->find("GET /fast"), std::string::npos) << *response;
  EXPECT_LT(took, std::chrono::milliseconds(500)) << "a request that waits for nothing waited";
  for (int fd : parked) {
    auto done = ReadResponse(fd, 5000);
    ASSERT_TRUE(done) << "a parked request was never answered";
    EXPECT_NE(done->find("GET /park"), std::string::npos) << *done;
  }
  EXPECT_EQ(StopChild(), 0);
}

TEST_F(ServeKeepConn, PastTheBoundAWaitIsRefusedAtOnce) {
  StartChild(2, /*max_parked=*/3);
  std::vector<int> fds = SendOnNewConnections(5, "/park", false);
  ASSERT_EQ(fds.size(), 5u);
  int answered = 0, refused = 0;
  for (int fd : fds) {
    auto response = ReadResponse(fd, 5000);
    ASSERT_TRUE(response) << "a request hung";
    if (response->find("busy") != std::string::npos) {
      refused++;
    } else if (response->find("GET /park") != std::string::npos) {
      answered++;
    }
  }
  EXPECT_EQ(answered, 3);
  EXPECT_EQ(refused, 2);
  EXPECT_EQ(StopChild(), 0);
}

TEST_F(ServeKeepConn, SigtermLetsParkedRequestsFinish) {
  StartChild(1);
  std::vector<int> fds = SendOnNewConnections(4, "/park", true);
  ASSERT_EQ(fds.size(), 4u);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // all four parked by now
  ::kill(child_, SIGTERM);
  for (int fd : fds) {
    auto response = ReadResponse(fd, 5000);
    ASSERT_TRUE(response) << "a parked request was dropped on SIGTERM";
    EXPECT_NE(response->find("GET /park"), std::string::npos) << *response;
    EXPECT_TRUE(ClosedByPeer(fd, 2000));
  }
  EXPECT_EQ(StopChild(), 0);
}

}  // namespace
}  // namespace userdesk::fcgi
