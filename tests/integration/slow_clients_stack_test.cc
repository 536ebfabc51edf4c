// nginx against slow clients, through the real stack (nginx/dev.conf.in, with production's
// values from nginx/userdesk.conf): one address (127.0.0.2) holds hundreds of connections that
// never finish their request, while another address (127.0.0.1) gets its pages at normal speed.
//
// Two kinds of slow connection, two defences:
// - a request header trickled byte by byte (Slowloris): nginx does not count it in limit_conn
//   (only a connection whose whole header has been read is counted), so client_header_timeout,
//   which times the whole header however slowly it arrives, frees it, and worker_connections
//   must hold far more of them than one client can open within that time;
// - a complete header with a body trickled byte by byte: client_body_timeout times only the
//   gap between two reads, so limit_conn caps how many of these one address may hold.
// The settings are read from the rendered nginx.conf, so the test follows their values.
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "integration/stack.h"

namespace userdesk::integration {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
using std::chrono::seconds;

const char kSlowAddress[] = "127.0.0.2";  // the slow client: another address on loopback
constexpr int kSlowConnections = 300;
// "Normal speed" for a page: pages take milliseconds, and a loaded 2-core machine may stall a
// process for a few hundred. Before the fix, a page was not answered at all while the slow
// connections held nginx's (for the 60 s of the default header timeout).
constexpr milliseconds kPageDeadline{2000};

// The number in the rendered nginx.conf that `pattern`'s first group matches; -1 when absent.
int Setting(const Stack& stack, const std::string& pattern) {
  std::string conf = ReadFile(stack.StateDir() + "/nginx/nginx.conf");
  std::smatch m;
  if (!std::regex_search(conf, m, std::regex(pattern))) return -1;
  return std::stoi(m[1]);
}

// A TCP connection from source_address to 127.0.0.1:port, non-blocking; -1 when it could not
// be made within 2 s (a full listen queue drops the handshake instead of refusing it).
int ConnectFrom(const std::string& source_address, int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in local{};
  local.sin_family = AF_INET;
  ::inet_pton(AF_INET, source_address.c_str(), &local.sin_addr);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  remote.sin_port = htons(static_cast<uint16_t>(port));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
    ::close(fd);
    return -1;
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
    pollfd p{fd, POLLOUT, 0};
    int error = 0;
    socklen_t len = sizeof error;
    if (errno != EINPROGRESS || ::poll(&p, 1, 2000) != 1 ||
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0) {
      ::close(fd);
      return -1;
    }
  }
  return fd;
}

bool SendAll(int fd, const std::string& bytes) {
  return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

// What the server has done with a connection so far: nothing, answered (its bytes appended to
// *answer), or closed it (EOF or reset).
enum class Peer { kSilent, kAnswered, kClosed };
Peer Look(int fd, std::string* answer) {
  char buf[4096];
  bool got = false;
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      answer->append(buf, static_cast<size_t>(n));
      got = true;
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return got ? Peer::kAnswered : Peer::kSilent;
    }
    return Peer::kClosed;
  }
}

// `count` connections from one address that each send `opening`, then one more byte every
// second, and never finish. A thread keeps them up: one the server closes is counted and
// replaced by a new one, so the address holds `count` connections all along.
class Trickler {
 public:
  Trickler(int port, std::string source, int count, std::string opening, std::string drip)
      : port_(port),
        source_(std::move(source)),
        count_(count),
        opening_(std::move(opening)),
        drip_(std::move(drip)) {}
  Trickler(const Trickler&) = delete;
  Trickler& operator=(const Trickler&) = delete;
  ~Trickler() { Stop(); }

  // Opens every connection (each with its opening sent), then starts the thread; false (and
  // *why) when a connection could not be made.
  bool Start(std::string* why) {
    for (int i = 0; i < count_; i++) {
      int fd = Open();
      if (fd < 0) {
        *why = "connection " + std::to_string(i + 1) + " from " + source_ + ": " +
               std::strerror(errno);
        return false;
      }
      first_.push_back(fd);
    }
    fds_ = first_;
    thread_ = std::thread([this] { Run(); });
    return true;
  }

  void Stop() {
    running_ = false;
    if (thread_.joinable()) thread_.join();
    for (int fd : fds_) ::close(fd);
    fds_.clear();
  }

  // How many of the first `count` connections the server has closed so far.
  int FirstClosed() const { return first_closed_; }
  // Connections the server closed and that could not be replaced (0 while all are held).
  int Missing() const { return missing_; }

 private:
  int Open() {
    int fd = ConnectFrom(source_, port_);
    if (fd >= 0 && !SendAll(fd, opening_)) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  void Run() {
    auto next_drip = Clock::now() + seconds(1);
    while (running_) {
      bool drip = Clock::now() >= next_drip;
      if (drip) next_drip += seconds(1);
      int missing = 0;
      for (int& fd : fds_) {
        std::string ignored;
        bool closed =
            fd < 0 || Look(fd, &ignored) == Peer::kClosed || (drip && !SendAll(fd, drip_));
        if (!closed) continue;
        if (fd >= 0) {
          for (int& first : first_) {
            if (first == fd) {
              first = -1;
              first_closed_++;
            }
          }
          ::close(fd);
        }
        fd = Open();
        missing += fd < 0 ? 1 : 0;
      }
      missing_ = missing;
      std::this_thread::sleep_for(milliseconds(50));
    }
  }

  const int port_;
  const std::string source_;
  const int count_;
  const std::string opening_;
  const std::string drip_;
  std::vector<int> fds_;
  std::vector<int> first_;  // the first connections' fds, -1 once the server closed one
  std::thread thread_;
  std::atomic<bool> running_{true};
  std::atomic<int> first_closed_{0};
  std::atomic<int> missing_{0};
};

// One request from 127.0.0.1 with the page deadline; "" when it was answered with `status` in
// time, else what went wrong.
std::string PageProblem(const Stack& stack, const std::string& path, long status) {
  HttpRequest request;
  request.url = stack.Url(path);
  request.timeout_ms = kPageDeadline.count();
  auto start = Clock::now();
  HttpResponse r = Fetch(request);
  auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
  if (r.status == status) return "";
  return path + ": status " + std::to_string(r.status) + " after " + std::to_string(took) +
         " ms (" + r.error + "), expected " + std::to_string(status) + " within " +
         std::to_string(kPageDeadline.count()) + " ms";
}

class SlowClientsStack : public StackTest {};

// 300 connections from 127.0.0.2 trickle a request header that never ends. nginx closes each
// within client_header_timeout (the trickle does not extend it) and the address opens a new
// one at once; all the while 127.0.0.1 gets every page within the deadline. Before the fix
// (256 worker_connections, a 60 s header timeout), nginx stopped accepting and 127.0.0.1
// waited in the listen queue.
TEST_F(SlowClientsStack, HalfOpenConnectionsFromOneAddressLeaveOthersServed) {
  int header_timeout = Setting(*stack_, R"(\n\s*client_header_timeout\s+([0-9]+)s;)");
  ASSERT_GT(header_timeout, 0) << "no client_header_timeout in seconds in the nginx config";

  const std::pair<const char*, long> pages_to_get[] = {
      {"/", 200}, {"/static/style.css", 200}, {"/login", 302}};
  // Once before, unhurried: the first /login also fetches the provider's metadata.
  for (auto [path, status] : pages_to_get) ASSERT_EQ(Get(stack_->Url(path)).status, status) << path;

  Trickler slow(stack_->port(), kSlowAddress, kSlowConnections,
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", "a");
  std::string why;
  ASSERT_TRUE(slow.Start(&why)) << why;

  // Pages for the other address until nginx has closed every first slow connection: that
  // spans a whole header timeout and a reconnection of all 300.
  auto deadline = Clock::now() + seconds(header_timeout + 10);
  int pages = 0;
  std::vector<std::string> problems;
  while (slow.FirstClosed() < kSlowConnections && Clock::now() < deadline) {
    for (auto [path, status] : pages_to_get) {
      pages++;
      if (std::string problem = PageProblem(*stack_, path, status); !problem.empty()) {
        problems.push_back(problem + ", " + std::to_string(slow.FirstClosed()) +
                           " slow connections closed by then");
      }
    }
    EXPECT_EQ(slow.Missing(), 0) << "the slow address could not keep its connections up";
    std::this_thread::sleep_for(milliseconds(100));
  }
  EXPECT_EQ(slow.FirstClosed(), kSlowConnections)
      << "nginx closed only " << slow.FirstClosed() << " of the " << kSlowConnections
      << " trickling connections within client_header_timeout (" << header_timeout << " s) + 10 s";
  EXPECT_GE(pages, 3);
  EXPECT_TRUE(problems.empty()) << problems.size() << " of " << pages
                                << " pages were late or failed; the first: "
                                << (problems.empty() ? "" : problems.front());
  slow.Stop();
}

// limit_conn + 20 POSTs from 127.0.0.2 with a complete header and a body trickled byte by byte
// (each stays within client_body_timeout): nginx counts each as a request in progress, so the
// last 20 get 429 and the app's "too many requests" page at once, while 127.0.0.1 is not limited.
// Before the fix (no limit_conn) none was refused.
TEST_F(SlowClientsStack, RequestsInProgressAreCappedPerAddress) {
  int limit = Setting(*stack_, R"(\n\s*limit_conn\s+userdesk_per_client\s+([0-9]+);)");
  ASSERT_GT(limit, 0) << "no limit_conn userdesk_per_client in the nginx config";
  constexpr int kOver = 20;
  std::vector<int> fds;
  std::string post =
      "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 1000\r\n\r\na";
  for (int i = 0; i < limit + kOver; i++) {
    int fd = ConnectFrom(kSlowAddress, stack_->port());
    ASSERT_GE(fd, 0) << "connection " << i + 1 << ": " << std::strerror(errno);
    fds.push_back(fd);
    ASSERT_TRUE(SendAll(fd, post)) << "connection " << i + 1;
  }

  // Wait (bounded) for the refusals; a body byte every second keeps the others in progress.
  std::vector<std::string> answers(fds.size());
  auto answered = [&] {
    int n = 0;
    for (size_t i = 0; i < fds.size(); i++) {
      if (Look(fds[i], &answers[i]) == Peer::kClosed && answers[i].empty()) answers[i] = "closed";
      n += answers[i].empty() ? 0 : 1;
    }
    return n;
  };
  auto deadline = Clock::now() + seconds(10);
  auto next_drip = Clock::now() + seconds(1);
  while (answered() < kOver && Clock::now() < deadline) {
    if (Clock::now() >= next_drip) {
      next_drip += seconds(1);
      for (size_t i = 0; i < fds.size(); i++) {
        if (answers[i].empty()) SendAll(fds[i], "a");
      }
    }
    std::this_thread::sleep_for(milliseconds(50));
  }
  // A new request from the same address is refused too (the address is at its limit), and its
  // answer also shows nginx has read every header sent before it.
  HttpRequest again;
  again.url = stack_->Url("/");
  again.source_address = kSlowAddress;
  HttpResponse refused = Fetch(again);
  EXPECT_EQ(refused.status, 429) << refused.error;
  EXPECT_EQ(refused.body, ReadFile(USERDESK_SOURCE_DIR "/static/errors/429.html"));
  // Another address is not limited.
  EXPECT_EQ(PageProblem(*stack_, "/", 200), "");

  EXPECT_EQ(answered(), kOver) << "of " << limit + kOver << " slow requests, expected exactly the "
                               << kOver << " over limit_conn " << limit << " to be refused";
  for (const std::string& answer : answers) {
    if (answer.empty()) continue;
    EXPECT_EQ(answer.rfind("HTTP/1.1 429 ", 0), 0u) << answer.substr(0, 200);
    EXPECT_TRUE(Contains(answer, "Too many requests")) << answer.substr(0, 200);
  }
  for (int fd : fds) ::close(fd);
}

}  // namespace
}  // namespace userdesk::integration
