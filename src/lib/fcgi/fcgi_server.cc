#include "fcgi/fcgi_server.h"

#include <fcgiapp.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

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

#include "base/log.h"
#include "base/park.h"
#include "base/strings.h"
#include "http/cgi_parse.h"

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
  std::mutex accept_mutex;  // one thread at a time waits for a new connection
  int stop_fd = -1;         // readable from the moment Serve is asked to stop; never reset

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
  }

 private:
  bool SpawnLocked();

  bool LeaveLocked() {
    serving_--;
    if (--threads_ == 0) all_gone_cv_.notify_all();
    return false;
  }

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
  if (Status body = ReadBody(req, options.max_body_bytes, r); !body) {
    return error_page(body.error(), *r);
  }
  DecodeInputs(r);
  return HandleSafely(handler, error_page, *r);
}

void Write(FCGX_Request& req, const http::Response& response, bool head) {
  std::string out = http::SerializeCgi(response, head);
  // FCGX_PutStr, not FCGX_FPrintF: libfcgi's own printf engine does not know the %zu length
  // modifier, and the answer is already one buffer.
  FCGX_PutStr(out.data(), static_cast<int>(out.size()), req.out);
}

void LogRequest(const ServerOptions& options, const http::Request& r, int status,
                std::chrono::steady_clock::duration took) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  std::string line = r.method + " " + r.path + " " + std::to_string(status) + " " +
                     std::to_string(us / 1000) + "." + std::to_string(us % 1000 / 100) + "ms" +
                     log::IdTag(r.request_id);
  log::Info(options.component, line);
}

// Waits for a connection on the listening socket and accepts it; -1 once Serve is stopping (or
// the listening socket is unusable). One thread at a time waits here (the accept mutex, so a new
// connection wakes one thread, not all); threads waiting on a kept connection never hold it.
int AcceptConnection(const ServerOptions& options, Pool* pool) {
  std::lock_guard<std::mutex> lock(pool->accept_mutex);
  for (;;) {
    pollfd fds[2] = {{kListenFd, POLLIN, 0}, {pool->stop_fd, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      log::Error(options.component,
                 std::string("poll on the listening socket: ") + std::strerror(errno));
      return -1;
    }
    if (fds[1].revents != 0) return -1;
    int fd = ::accept4(kListenFd, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd >= 0) return fd;
    switch (errno) {
      case EAGAIN:  // the listening socket is non-blocking: another process took it
      case EINTR:
      case ECONNABORTED:
      case EPROTO:
        continue;
      case EMFILE:
      case ENFILE:
      case ENOBUFS:
      case ENOMEM:
        log::Warn(options.component, std::string("accept: ") + std::strerror(errno));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        continue;
      default:
        log::Error(options.component, std::string("accept: ") + std::strerror(errno));
        return -1;
    }
  }
}

enum class Wait { kReadable, kStopping, kStoppingAndReadable };

// Waits until the connection has something to read (a request, or EOF when nginx closes it) or
// Serve is stopping. A kept connection is idle here between requests, outside the accept mutex.
Wait WaitForRequest(int conn, int stop_fd) {
  pollfd fds[2] = {{conn, POLLIN, 0}, {stop_fd, POLLIN, 0}};
  while (::poll(fds, 2, -1) < 0) {
    if (errno != EINTR) return Wait::kReadable;  // let libfcgi's read find the problem
  }
  if (fds[1].revents == 0) return Wait::kReadable;
  return fds[0].revents != 0 ? Wait::kStoppingAndReadable : Wait::kStopping;
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


// One worker: takes a connection, serves its requests (several when nginx keeps it open,
// fastcgi_keep_conn), then takes the next. libfcgi only reads and writes the connection
// handed to it: its listen socket is -1, so FCGX_Accept_r never blocks in accept(), where Serve
// could not wake it for a stop.
// Returns whether the thread still holds its place (false: KeepServing gave it up).
bool WorkerLoop(Pool* shared) {
  const ServerOptions& options = shared->options;
  FCGX_Request req;
  FCGX_InitRequest(&req, -1, 0);
  bool stopping = false;
  bool placed = true;
  for (;;) {
    if (req.ipcFd < 0) {
      if (stopping) break;
      if (!shared->KeepServing()) {
        placed = false;
        break;
      }
      int fd = AcceptConnection(options, shared);
      if (fd < 0) break;  // stopping
      req.ipcFd = fd;
      // FCGX_Accept_r first finishes the previous request and closes its connection unless it
      // was kept: this one is new, so keep it; the request's own FCGI_KEEP_CONN flag decides
      // from then on.
      req.keepConnection = 1;
    }
    Wait wait = WaitForRequest(req.ipcFd, shared->stop_fd);
    // Stopping: a request nginx already sent is served, then the connection is closed; an idle
    // one is closed now.
    if (wait == Wait::kStopping || (wait == Wait::kStoppingAndReadable && stopping)) {
      ::close(req.ipcFd);
      req.ipcFd = -1;
      break;
    }
    if (wait == Wait::kStoppingAndReadable) stopping = true;
    // < 0: nginx closed the kept connection (EOF), or it broke; libfcgi has closed it
    if (FCGX_Accept_r(&req) < 0) continue;
    auto start = std::chrono::steady_clock::now();
    http::Request r;
    http::Response response = Dispatch(req, options, shared->handler, shared->error_page, &r);
    Write(req, response, r.method == "HEAD");
    DrainStdin(req);
    FCGX_Finish_r(&req);  // closes the connection unless nginx asked to keep it
    LogRequest(options, r, response.status, std::chrono::steady_clock::now() - start);
  }
  if (req.ipcFd >= 0) ::close(req.ipcFd);
  req.ipcFd = -1;
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
  uint64_t one = 1;
  if (::write(pool->stop_fd, &one, sizeof one) != sizeof one) {
    log::Error(options.component, std::string("eventfd write: ") + std::strerror(errno));
  }
  pool->StopAndWait();
  ::close(pool->stop_fd);
  if (!started) return 1;
  log::Info(options.component, "stopped");
  return 0;
}

}  // namespace userdesk::fcgi
