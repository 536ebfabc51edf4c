// Serves FastCGI requests on the listening socket inherited on fd 0 (spawn-fcgi, or systemd
// socket activation with StandardInput=socket), with a pool of worker threads. The only module
// that includes <fcgiapp.h>: handlers see http::Request and return http::Response.
//
// Connections: one thread at a time waits (epoll) for a new connection or for a request on an
// idle kept connection, and serves that one request; the others wait their turn. With
// fastcgi_keep_conn nginx keeps up to `keepalive` idle connections per upstream and nginx worker;
// between requests they wait in that epoll set, holding no thread, so any number of them leaves
// every thread free to serve.
//
// Waiting for Okta (base/park.h): a worker whose request parks is replaced at once by another
// thread (an idle spare, or a new one), so `threads` threads always serve; a parked worker that is
// done serves on, and one that finds more than `threads` serving when it looks for its next
// request becomes a spare, which leaves after kSpareIdleSeconds unused. At most
// `max_parked` requests are parked at once; past that the wait is refused and the request
// answered at once (503), so the process has at most threads + max_parked threads.
//
// Shutdown: SIGTERM or SIGINT stops accepting, closes idle kept connections (one nginx has
// already sent a request on is served first), lets in-flight requests finish, and Serve returns 0. The listening socket is left open and listening (under
// systemd it outlives the process: the next instance accepts what queued meanwhile). SIGHUP calls
// options.on_reload on the signal-handling (main) thread while the workers keep serving (systemctl
// reload). A handler that throws gets the error page (500) and the process keeps serving.
#pragma once

#include <functional>
#include <string>

#include "base/error.h"
#include "http/request.h"
#include "http/response.h"

namespace userdesk::fcgi {

using Handler = std::function<http::Response(const http::Request&)>;
// Turns an error into the page the browser sees (the responder's one error-to-page mapping).
using ErrorPage = std::function<http::Response(const Error&, const http::Request&)>;

struct ServerOptions {
  int threads = 4;                    // requests served at once (not counting parked ones)
  int max_parked = 256;               // requests waiting for Okta at once (OKTA_MAX_CONCURRENT_CALLS)
  size_t max_body_bytes = 64 * 1024;  // larger bodies get 413 without being read
  const char* component = "fcgi";     // log prefix: the responder's name
  // Called on SIGHUP, on the thread that waits for signals, never concurrently with itself.
  // Unset: SIGHUP is logged and ignored (it must not kill the process, its default action).
  std::function<void()> on_reload;
};

// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread and every thread it starts later. A
// responder calls this first thing, so a signal that arrives during start-up (systemctl reload
// right after start) waits for Serve instead of killing the process; Serve calls it too.
void BlockServeSignals();

// Runs handler on request; whatever it throws becomes error_page's answer (500), so one bad
// request never takes the process down. The FastCGI loop calls this for every request.
http::Response HandleSafely(const Handler& handler, const ErrorPage& error_page,
                            const http::Request& request);

// Blocks until SIGTERM/SIGINT, handling SIGHUP meanwhile; returns the process exit code.
int Serve(const ServerOptions& options, const Handler& handler, const ErrorPage& error_page);

}  // namespace userdesk::fcgi
