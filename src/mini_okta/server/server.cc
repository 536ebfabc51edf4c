#include "mini_okta/server/server.h"

#include <httplib.h>

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>

#include "mini_okta/oidc/oidc.h"
#include "mini_okta/server/connection_threads.h"
#include "mini_okta/server/routes.h"

namespace userdesk::mini_okta {

MiniOktaServer::MiniOktaServer(Options options, FaultSettings faults)
    : rate_limiter_(options.developer_rate_limits ? RateLimitMode::kDeveloper
                                                  : RateLimitMode::kOff),
      http_(std::make_unique<httplib::Server>()) {
  // the listening socket's descriptor, to raise its backlog once bound (Start)
  http_->set_socket_options([this](int fd) {
    httplib::default_socket_options(fd);
    listen_fd_ = fd;
  });
  // Each answer leaves in two writes (headers, body): with Nagle's algorithm the body waits for
  // the client's delayed ACK of the headers, up to 40 ms on Linux, as no real Okta makes it wait.
  http_->set_tcp_nodelay(true);
  faults_.Set(faults);
  context_.options = std::move(options);
  context_.store = &store_;
  context_.faults = &faults_;
  context_.rate_limiter = &rate_limiter_;
  // Every timestamp and token expiry follows the (possibly shifted) fault clock.
  store_.SetClock([this] { return SystemNowMillis() + faults_.ClockOffsetSeconds() * 1000; });
}

MiniOktaServer::~MiniOktaServer() { Stop(); }

Status MiniOktaServer::Start() {
  Options& opt = context_.options;
  Status opened = store_.Open(opt.data_file, opt.seed_file);
  if (!opened) return opened;
  if (opt.port == 0) {
    port_ = http_->bind_to_any_port(opt.host);
    if (port_ <= 0) return MakeError(ErrorCode::kInternal, "cannot bind " + opt.host);
  } else {
    if (!http_->bind_to_port(opt.host, opt.port)) {
      return MakeError(ErrorCode::kInternal,
                       "cannot bind " + opt.host + ":" + std::to_string(opt.port));
    }
    port_ = opt.port;
  }
  opt.port = port_;
  if (opt.base_url.empty()) opt.base_url = "http://" + opt.host + ":" + std::to_string(port_);
  while (!opt.base_url.empty() && opt.base_url.back() == '/') opt.base_url.pop_back();
  // Debian's httplib listens with a backlog of 5: with hundreds of clients connecting at once
  // (a slow-Okta benchmark), the rest would be dropped and retried by their kernel a second
  // later. Linux lets listen() be called again on a listening socket to set a larger one.
  if (listen_fd_ >= 0 && ::listen(listen_fd_, kListenBacklog) != 0) {
    return MakeError(ErrorCode::kInternal, std::string("listen: ") + std::strerror(errno));
  }
  LimitSlowClients();
  RegisterRoutes();
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  // stop() is a no-op until the loop runs, so Stop() right after Start() would hang the join.
  while (!http_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return OkStatus();
}

void MiniOktaServer::Stop() {
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
}

// httplib gives each connection a worker thread from the first byte to the close, and reads a
// request with a timeout per read, not per request. So a client that sends a byte now and then
// keeps its worker; what keeps mini-okta answering is a thread for every connection (up to
// ConnectionThreads::kMaxThreads), and short timeouts for the ones that stop sending
// (docs/mini-okta.md).
void MiniOktaServer::LimitSlowClients() {
  const Options& opt = context_.options;
  size_t workers = static_cast<size_t>(std::max(1, opt.worker_threads));
  http_->new_task_queue = [workers] {
    return new ConnectionThreads(workers, ConnectionThreads::kMaxThreads);
  };
  http_->set_read_timeout(std::chrono::milliseconds(opt.read_timeout_ms));
  http_->set_keep_alive_timeout(opt.keep_alive_timeout_seconds);
}

void MiniOktaServer::RegisterRoutes() {
  httplib::Server& s = *http_;
  InstallRequestPipeline(s, context_);
  RegisterAuthnRoutes(s, context_);
  RegisterUserRoutes(s, context_);
  RegisterLifecycleRoutes(s, context_);
  RegisterCredentialRoutes(s, context_);
  RegisterSchemaRoutes(s, context_);
  RegisterOutboxRoutes(s, context_);
  RegisterAdminRoutes(s, context_);
  RegisterOidcRoutes(s, context_);
}

}  // namespace userdesk::mini_okta
