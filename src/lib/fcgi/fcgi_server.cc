#include "fcgi/fcgi_server.h"

#include <fcgiapp.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_set>

#include "base/log.h"
#include "base/park.h"
#include "base/strings.h"
#include "http/cgi_parse.h"
#include "metrics/requests.h"

namespace userdesk::fcgi {
namespace {

constexpr int kListenFd = 0;  // FCGI_LISTENSOCK_FILENO: spawn-fcgi hands the socket over on fd 0
// Unread request body drained so a kept connection can carry the next request; a larger rest
// closes the connection instead (nginx caps bodies at client_max_body_size anyway).
constexpr size_t kMaxDrainBytes = 1024 * 1024;

// A spare unused for this long leaves (the pool shrinks back after a slow spell of Okta).
constexpr auto kSpareIdle = std::chrono::seconds(30);

// The worker threads and their counts, and the host every worker parks with (base/park.h).
// Workers hold it by shared_ptr: the last one to leave may still be unlocking it when Serve
// returns.
class Pool final : public park::Host, public std::enable_shared_from_this<Pool> {
 public:
  Pool(const ServerOptions& serve_options, const Handler& serve_handler,
       const ErrorPage& serve_error_page)
      : options(serve_options), handler(serve_handler), error_page(serve_error_page) {}

  const ServerOptions& options;
  const Handler& handler;
  const ErrorPage& error_page;
  // Every worker not serving waits on `ready` at once: a new connection on the listening
  // socket, a request on an idle kept connection, or the stop. epoll wakes one waiter for each
  // event; a kept connection is one-shot, so exactly one worker gets it, and the level-triggered
  // listening socket or stop may wake several (they find nothing to accept, or all stop). No
  // mutex is handed from thread to thread on the way: one wake-up per request, not two.
  int ready = -1;    // epoll: kListenFd, stop_fd, and every idle kept connection (one-shot)
  int stop_fd = -1;  // readable from the moment Serve is asked to stop; never reset
  std::atomic<bool> stop_requested{false};

  // A kept connection between requests waits in `ready`, holding no thread; the worker that
  // finds it readable (its next request, or EOF) takes it. False: it could not be watched.
  // The set and the epoll registration change together under idle_mu_, so a worker (TakeIdle,
  // TakeAnyIdle) never takes a connection half-registered, and one that could not be watched
  // is still this caller's to close.
  bool WatchIdle(int conn) {
    std::lock_guard lock(idle_mu_);
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.fd = conn;
    idle_.insert(conn);
    if (::epoll_ctl(ready, EPOLL_CTL_MOD, conn, &ev) == 0 ||
        (errno == ENOENT && ::epoll_ctl(ready, EPOLL_CTL_ADD, conn, &ev) == 0)) {
      return true;
    }
    idle_.erase(conn);
    return false;
  }
  // False: another worker took it first (the stop's TakeAnyIdle, while epoll reported it here).
  bool TakeIdle(int conn) {
    std::lock_guard lock(idle_mu_);
    return idle_.erase(conn) == 1;
  }
  // Any idle kept connection, taken (-1: none), for the stop to close or serve a last time.
  int TakeAnyIdle() {
    std::lock_guard lock(idle_mu_);
    if (idle_.empty()) return -1;
    int conn = *idle_.begin();
    idle_.erase(idle_.begin());
    return conn;
  }

  bool Start() {
    std::lock_guard lock(mu_);
    for (int i = 0; i < options.threads; i++) {
      if (!SpawnLocked()) return false;
    }
    return true;
  }

  bool Park() override {
    std::lock_guard lock(mu_);
    if (parked_ >= options.max_parked) return false;
    parked_++;
    serving_--;
    metrics::SetRequestsParked(parked_);
    if (!stopping_ && serving_ < options.threads) {
      if (idle_spares_ > 0) {  // a spare takes this thread's place
        idle_spares_--;
        wakeups_++;
        serving_++;
        spare_cv_.notify_one();
      } else {
        (void)SpawnLocked();  // none: a new thread does (failing that, one fewer serves a while)
      }
    }
    return true;
  }

  void Unpark() override {
    std::lock_guard lock(mu_);
    parked_--;
    serving_++;
    metrics::SetRequestsParked(parked_);
  }

  // Asked by a worker between connections. True: go on and take the next one. False: leave
  // (stopping, or a spare nobody needed for kSpareIdle); its place is already given up.
  bool KeepServing() {
    std::unique_lock lock(mu_);
    if (stopping_ || serving_ <= options.threads) return !stopping_ || LeaveLocked();
    serving_--;  // one too many: wait as a spare
    idle_spares_++;
    spare_cv_.wait_for(lock, kSpareIdle, [this] { return wakeups_ > 0 || stopping_; });
    if (wakeups_ > 0) {
      wakeups_--;  // Park counted this thread as serving again
      return !stopping_ || LeaveLocked();
    }
    idle_spares_--;
    serving_++;  // LeaveLocked takes it off again
    return LeaveLocked();
  }

  // A worker's last act (a worker that KeepServing sent away has left already).
  void Leave() {
    std::lock_guard lock(mu_);
    (void)LeaveLocked();
  }

  // After stop_fd is signalled: spares leave, workers finish what they hold; returns when every
  // thread is gone.
  void StopAndWait() {
    std::unique_lock lock(mu_);
    stopping_ = true;
    spare_cv_.notify_all();
    all_gone_cv_.wait(lock, [this] { return threads_ == 0; });
    // A worker that kept its connection while the stop began left it here on its way out.
    for (int conn = TakeAnyIdle(); conn >= 0; conn = TakeAnyIdle()) ::close(conn);
  }

 private:
  bool SpawnLocked();

  bool LeaveLocked() {
    serving_--;
    if (--threads_ == 0) all_gone_cv_.notify_all();
    return false;
  }

  std::mutex idle_mu_;
  std::unordered_set<int> idle_;  // the kept connections in `ready`, waiting for a request

  std::mutex mu_;
  std::condition_variable spare_cv_;
  std::condition_variable all_gone_cv_;
  int threads_ = 0;      // alive
  int serving_ = 0;      // alive, not parked, not an idle spare
  int parked_ = 0;       // waiting for Okta
  int idle_spares_ = 0;  // waiting to take a parked thread's place
  int wakeups_ = 0;      // places offered to spares and not yet taken
  bool stopping_ = false;
};

std::string Param(const FCGX_Request& req, const char* name) {
  const char* v = FCGX_GetParam(name, req.envp);
  return v != nullptr ? v : "";
}

// "HTTP_X_REQUESTED_WITH" -> "x-requested-with"
std::string HeaderName(std::string_view cgi_name) {
  std::string out(cgi_name);
  for (char& c : out)
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Copies everything out of req.envp at once: libfcgi frees it on the next Accept/Finish.
http::Request ReadParams(const FCGX_Request& req) {
  http::Request r;
  r.method = Param(req, "REQUEST_METHOD");
  r.path = Param(req, "DOCUMENT_URI");
  if (r.path.empty()) r.path = Param(req, "SCRIPT_NAME");
  r.query = Param(req, "QUERY_STRING");
  r.request_id = Param(req, "REQUEST_ID");
  r.remote_addr = Param(req, "REMOTE_ADDR");
  for (char** e = req.envp; e != nullptr && *e != nullptr; e++) {
    std::string_view kv(*e);
    size_t eq = kv.find('=');
    if (eq == std::string_view::npos || kv.rfind("HTTP_", 0) != 0) continue;
    r.headers.emplace(HeaderName(kv.substr(5, eq - 5)), std::string(kv.substr(eq + 1)));
  }
  std::string content_type = Param(req, "CONTENT_TYPE");
  if (!content_type.empty()) r.headers.emplace("content-type", content_type);
  return r;
}

// Reads the body when it fits the cap; an oversized or garbled length is an Error instead.
Status ReadBody(FCGX_Request& req, size_t cap, http::Request* r) {
  std::string length_text = Param(req, "CONTENT_LENGTH");
  switch (http::CheckContentLength(length_text, cap)) {
    case http::BodySize::kNone:
      return OkStatus();
    case http::BodySize::kInvalid:
      return MakeError(ErrorCode::kInvalidArgument, "unparsable CONTENT_LENGTH");
    case http::BodySize::kTooLarge:
      return MakeError(ErrorCode::kPayloadTooLarge,
                       "body of " + length_text + " bytes over the cap");
    case http::BodySize::kFits:
      break;
  }
  r->body.resize(ParseInteger<size_t>(length_text).value_or(0));  // checked above
  int got = FCGX_GetStr(r->body.data(), static_cast<int>(r->body.size()), req.in);
  r->body.resize(got > 0 ? static_cast<size_t>(got) : 0);
  return OkStatus();
}

void DecodeInputs(http::Request* r) {
  r->query_params = http::ParseUrlEncoded(r->query);
  if (auto cookie = r->Header("cookie")) r->cookies = http::ParseCookieHeader(*cookie);
  auto type = r->Header("content-type");
  if (r->method == "POST" && type && type->rfind("application/x-www-form-urlencoded", 0) == 0) {
    r->form = http::ParseUrlEncoded(r->body);
  }
}

http::Response Dispatch(FCGX_Request& req, const ServerOptions& options, const Handler& handler,
                        const ErrorPage& error_page, http::Request* r) {
  *r = ReadParams(req);
  log::RequestScope logged(r->request_id);  // JSON log lines written meanwhile carry its id
  if (Status body = ReadBody(req, options.max_body_bytes, r); !body) {
    return error_page(body.error(), *r);
  }
  DecodeInputs(r);
  return HandleSafely(handler, error_page, *r);
}

void Write(FCGX_Request& req, const http::Response& response, bool head) {
  // FCGX_PutStr, not FCGX_FPrintF: libfcgi's own printf engine does not know the %zu length
  // modifier. The status line and headers, then the body as it is: libfcgi copies both into its
  // one output buffer, so joining them first would only copy the page once more.
  std::string headers = http::SerializeCgi(response, /*head_request=*/true);
  FCGX_PutStr(headers.data(), static_cast<int>(headers.size()), req.out);
  if (!head && !response.body.empty()) {
    FCGX_PutStr(response.body.data(), static_cast<int>(response.body.size()), req.out);
  }
}

void LogRequest(const ServerOptions& options, const http::Request& r, int status,
                std::chrono::steady_clock::duration took) {
  // the line and its event cost a handful of allocations per request: none when they are dropped
  if (!log::Enabled(log::Level::kInfo)) return;
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  std::string line = r.method + " " + r.path + " " + std::to_string(status) + " " +
                     std::to_string(us / 1000) + "." + std::to_string(us % 1000 / 100) + "ms";
  log::Info(options.component, log::Event("http.request", line)
                                   .Id(r.request_id)
                                   .Add("method", r.method)
                                   .Add("path", r.path)
                                   .Add("status", status)
                                   .Add("duration_ms", static_cast<double>(us) / 1000.0));
}

// Accepts a connection a worker found waiting; -1 when there was none after all (another
// process sharing the socket took it) or accept failed, already logged.
int AcceptWaiting(const ServerOptions& options) {
  for (;;) {
    int fd = ::accept4(kListenFd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) return fd;
    switch (errno) {
      case EINTR:
        continue;
      case EAGAIN:  // the listening socket is non-blocking: another process took it
      case ECONNABORTED:
      case EPROTO:
        return -1;
      case EMFILE:
      case ENFILE:
      case ENOBUFS:
      case ENOMEM:
        log::Warn(options.component, std::string("accept: ") + std::strerror(errno));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return -1;
      default:
        log::Error(options.component, std::string("accept: ") + std::strerror(errno));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return -1;
    }
  }
}

bool Readable(int conn) {
  pollfd p{conn, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1;
}

struct Next {
  int conn = -1;      // -1: Serve is stopping and nothing is left for this worker
  bool last = false;  // serve this request, then close the connection (stopping)
};

// The next connection with a request to read: a new one, or a kept one whose next request came.
// Once Serve is stopping: a kept connection nginx already sent a request on is served a last
// time, an idle one is closed, and then -1.
Next NextConnection(Pool* pool) {
  for (;;) {
    epoll_event ev{};
    int n = ::epoll_wait(pool->ready, &ev, 1, -1);
    if (n < 0 && errno != EINTR) {
      log::Error(pool->options.component, std::string("epoll_wait: ") + std::strerror(errno));
      return {};
    }
    if (n <= 0) continue;
    if (ev.data.fd == pool->stop_fd) {
      for (int conn = pool->TakeAnyIdle(); conn >= 0; conn = pool->TakeAnyIdle()) {
        if (Readable(conn)) return {conn, true};
        ::close(conn);
      }
      return {};
    }
    if (ev.data.fd != kListenFd) {
      if (pool->TakeIdle(ev.data.fd)) return {ev.data.fd, false};
      continue;
    }
    int conn = AcceptWaiting(pool->options);
    if (conn < 0) continue;
    // nginx writes its request as soon as it is connected; one that has not arrived yet is
    // waited for in `ready` like a kept connection's, so no thread blocks on a silent peer.
    if (Readable(conn)) return {conn, false};
    if (!pool->WatchIdle(conn)) ::close(conn);
  }
}

// Reads what the handler left of the request body, so the connection can carry the next request
// (libfcgi would take a leftover stdin record for a protocol error and drop that request). Too
// much left: the connection is closed after this response instead.
void DrainStdin(FCGX_Request& req) {
  if (!req.keepConnection) return;
  char buf[4096];
  size_t drained = 0;
  int got;
  while ((got = FCGX_GetStr(buf, sizeof buf, req.in)) > 0) {
    drained += static_cast<size_t>(got);
    if (drained > kMaxDrainBytes) {
      req.keepConnection = 0;
      return;
    }
  }
}

// One worker: takes the next connection with a request waiting, serves that one request, and
// gives a kept connection back to `ready` (nginx's fastcgi_keep_conn), so an idle kept
// connection holds no thread. libfcgi only reads and writes the connection handed to it: its
// listen socket is -1, so FCGX_Accept_r never blocks in accept(), where Serve could not wake it.
// Returns whether the thread still holds its place (false: KeepServing gave it up).
bool WorkerLoop(Pool* shared) {
  const ServerOptions& options = shared->options;
  FCGX_Request req;
  FCGX_InitRequest(&req, -1, 0);
  bool placed = true;
  for (;;) {
    if (!shared->KeepServing()) {
      placed = false;
      break;
    }
    Next next = NextConnection(shared);
    if (next.conn < 0) break;  // stopping
    // FCGX_Accept_r first finishes the previous request (done already: nothing to close) and
    // then reads this one; the request's own FCGI_KEEP_CONN flag decides what happens after.
    req.ipcFd = next.conn;
    req.keepConnection = 1;
    // < 0: nginx closed the kept connection (EOF), or it broke; libfcgi has closed it
    if (FCGX_Accept_r(&req) < 0) continue;
    auto start = std::chrono::steady_clock::now();
    http::Request r;
    int status;
    {
      metrics::BusyThread busy;
      http::Response response = Dispatch(req, options, shared->handler, shared->error_page, &r);
      Write(req, response, r.method == "HEAD");
      status = response.status;
    }
    DrainStdin(req);
    if (next.last || shared->stop_requested.load()) req.keepConnection = 0;
    FCGX_Finish_r(&req);  // closes the connection unless it is kept
    auto took = std::chrono::steady_clock::now() - start;
    LogRequest(options, r, status, took);
    metrics::RecordRequest(r.path, status, std::chrono::duration<double>(took).count());
    if (req.ipcFd >= 0 && !shared->WatchIdle(req.ipcFd)) ::close(req.ipcFd);
    req.ipcFd = -1;  // kept or closed, this thread is done with it
  }
  FCGX_Free(&req, 0);
  return placed;
}

bool Pool::SpawnLocked() {
  try {
    std::thread([self = shared_from_this()] {
      park::SetThreadHost(self.get());
      if (WorkerLoop(self.get())) self->Leave();
      park::SetThreadHost(nullptr);
    }).detach();
  } catch (const std::system_error& e) {
    log::Error(options.component, std::string("cannot start a worker thread: ") + e.what());
    return false;
  }
  threads_++;
  serving_++;
  return true;
}

// The signals Serve waits for: stop (TERM, INT) and reload (HUP).
sigset_t ServeSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

http::Response HandleSafely(const Handler& handler, const ErrorPage& error_page,
                            const http::Request& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    return error_page(MakeError(ErrorCode::kInternal, std::string("handler threw: ") + e.what()),
                      request);
  } catch (...) {
    return error_page(MakeError(ErrorCode::kInternal, "handler threw a non-exception"), request);
  }
}

void BlockServeSignals() {
  sigset_t set = ServeSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int Serve(const ServerOptions& options, const Handler& handler, const ErrorPage& error_page) {
  // Blocked in every thread; the main thread takes them with sigwait below.
  BlockServeSignals();
  sigset_t serve_signals = ServeSignals();
  signal(SIGPIPE, SIG_IGN);  // a client gone mid-write must not kill the process

  if (FCGX_Init() != 0) {
    log::Error(options.component, "FCGX_Init failed");
    return 1;
  }
  if (FCGX_IsCGI()) {
    log::Error(options.component,
               "fd 0 is not a listening socket: start this program with spawn-fcgi or systemd "
               "socket activation");
    return 2;
  }
  // Non-blocking, so a thread that finds the connection taken (by another process sharing the
  // socket) goes back to poll instead of blocking in accept().
  int listen_flags = ::fcntl(kListenFd, F_GETFL);
  if (listen_flags < 0 || ::fcntl(kListenFd, F_SETFL, listen_flags | O_NONBLOCK) < 0) {
    log::Error(options.component, std::string("fd 0: ") + std::strerror(errno));
    return 2;
  }
  auto pool = std::make_shared<Pool>(options, handler, error_page);
  pool->stop_fd = ::eventfd(0, EFD_CLOEXEC);
  if (pool->stop_fd < 0) {
    log::Error(options.component, std::string("eventfd: ") + std::strerror(errno));
    return 1;
  }
  pool->ready = ::epoll_create1(EPOLL_CLOEXEC);
  if (pool->ready < 0) {
    log::Error(options.component, std::string("epoll_create1: ") + std::strerror(errno));
    ::close(pool->stop_fd);
    return 1;
  }
  // Level-triggered: both stay readable for every waiting worker until taken (the stop, for
  // good), so a stop reaches them all.
  for (int fd : {kListenFd, pool->stop_fd}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = fd;
    if (::epoll_ctl(pool->ready, EPOLL_CTL_ADD, fd, &ev) != 0) {
      log::Error(options.component, std::string("epoll_ctl: ") + std::strerror(errno));
      ::close(pool->ready);
      ::close(pool->stop_fd);
      return 1;
    }
  }
  bool started = pool->Start();
  if (started) {
    log::Info(options.component, "serving with " + std::to_string(options.threads) +
                                     " threads, at most " + std::to_string(options.max_parked) +
                                     " requests waiting for the identity provider");
  }

  int sig = SIGTERM;
  while (started) {
    if (sigwait(&serve_signals, &sig) != 0) continue;
    if (sig != SIGHUP) break;
    // The workers keep accepting meanwhile: a reload never drops a request.
    if (options.on_reload) {
      options.on_reload();
    } else {
      log::Info(options.component, "SIGHUP ignored: nothing to reload");
    }
  }
  log::Info(options.component,
            std::string("stopping on ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT"));
  FCGX_ShutdownPending();
  // Wakes every worker: those waiting for a connection or on an idle kept connection stop now,
  // those with a request in flight finish it first. The listening socket itself is left alone:
  // under systemd socket activation it outlives this process, and the next instance accepts the
  // connections queued meanwhile (a shutdown() would have refused them, for good).
  pool->stop_requested = true;
  uint64_t one = 1;
  if (::write(pool->stop_fd, &one, sizeof one) != sizeof one) {
    log::Error(options.component, std::string("eventfd write: ") + std::strerror(errno));
  }
  pool->StopAndWait();
  ::close(pool->ready);
  ::close(pool->stop_fd);
  if (!started) return 1;
  log::Info(options.component, "stopped");
  return 0;
}

}  // namespace userdesk::fcgi
