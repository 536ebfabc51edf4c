// MiniOktaServer: the whole of mini-okta (store, fault knobs, rate limits, every route) behind
// one object, so main.cc and the tests start exactly the same server. Start() binds (port 0 =
// a free port) and serves on a background thread until Stop() or destruction.
#pragma once

#include <memory>
#include <string>
#include <thread>

#include "base/error.h"
#include "mini_okta/dev/faults.h"
#include "mini_okta/server/context.h"
#include "mini_okta/server/rate_limiter.h"
#include "mini_okta/store/store.h"

namespace httplib {
class Server;
}

namespace userdesk::mini_okta {

class MiniOktaServer {
 public:
  explicit MiniOktaServer(Options options, FaultSettings faults = {});
  ~MiniOktaServer();
  MiniOktaServer(const MiniOktaServer&) = delete;
  MiniOktaServer& operator=(const MiniOktaServer&) = delete;

  // Opens the store (data file / seed), registers the routes, binds and starts serving.
  // kInvalidArgument for a bad data or seed file; kInternal when the address cannot be bound.
  Status Start();
  // Stops serving and joins the server thread. Safe to call twice.
  void Stop();

  int port() const { return port_; }
  // options.base_url when set, else http://<host>:<port>.
  std::string base_url() const { return context_.options.base_url; }
  Context& context() { return context_; }
  Store& store() { return store_; }

 private:
  void LimitSlowClients();
  void RegisterRoutes();

  Store store_;
  Faults faults_;
  RateLimiter rate_limiter_;
  Context context_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
  int listen_fd_ = -1;  // set by httplib's socket-options hook when it creates the socket
  static constexpr int kListenBacklog = 1024;
};

}  // namespace userdesk::mini_okta
