#include "fcgi/fcgi_server.h"

#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/log.h"
#include "http/cgi_parse.h"

namespace userdesk::fcgi {
namespace {

constexpr int kListenFd = 0;  // FCGI_LISTENSOCK_FILENO: spawn-fcgi hands the socket over on fd 0

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
  r->body.resize(std::stoul(length_text));
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
  // FCGX_PutStr, not FCGX_FPrintF: libfcgi's printf engine mishandles %zu (tooling-notes §1)
  FCGX_PutStr(out.data(), static_cast<int>(out.size()), req.out);
}

void LogRequest(const ServerOptions& options, const http::Request& r, int status,
                std::chrono::steady_clock::duration took) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(took).count();
  std::string line = r.method + " " + r.path + " " + std::to_string(status) + " " +
                     std::to_string(us / 1000) + "." + std::to_string(us % 1000 / 100) +
                     "ms id=" + (r.request_id.empty() ? "-" : r.request_id);
  log::Info(options.component, line);
}

void WorkerLoop(const ServerOptions& options, const Handler& handler, const ErrorPage& error_page,
                std::mutex* accept_mutex) {
  FCGX_Request req;
  FCGX_InitRequest(&req, kListenFd, 0);
  for (;;) {
    int rc;
    {
      // serialize accept() as libfcgi's threaded example does; harmless on Linux
      std::lock_guard<std::mutex> lock(*accept_mutex);
      rc = FCGX_Accept_r(&req);
    }
    if (rc < 0) break;  // listening socket shut down: time to exit
    auto start = std::chrono::steady_clock::now();
    http::Request r;
    http::Response response = Dispatch(req, options, handler, error_page, &r);
    Write(req, response, r.method == "HEAD");
    FCGX_Finish_r(&req);
    LogRequest(options, r, response.status, std::chrono::steady_clock::now() - start);
  }
  FCGX_Free(&req, 0);
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
  std::mutex accept_mutex;
  std::vector<std::thread> workers;
  for (int i = 0; i < options.threads; i++) {
    workers.emplace_back(WorkerLoop, std::cref(options), std::cref(handler), std::cref(error_page),
                         &accept_mutex);
  }
  log::Info(options.component, "serving with " + std::to_string(options.threads) + " threads");

  int sig = 0;
  for (;;) {
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
  // wakes workers blocked in accept() (it returns EINVAL); requests in flight finish first
  shutdown(kListenFd, SHUT_RDWR);
  for (auto& t : workers) t.join();
  log::Info(options.component, "stopped");
  return 0;
}

}  // namespace userdesk::fcgi
