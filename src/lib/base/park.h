// Waiting for the identity provider without holding a request thread.
//
// A responder serves requests on a fixed number of threads (fcgi::Serve, USERDESK_THREADS). A
// request that must wait for Okta (its own call, another request's read of the same user, a
// discovery or JWKS load in flight, a 429 waited out) "parks": the thread tells its host it is
// about to wait, and the host puts another thread in its place, so the number of threads
// serving everyone else never drops. The parked thread does its wait, finishes its own request,
// and goes back to serving (or, when it is one too many, leaves).
//
// The host bounds how many requests may be parked at once (OKTA_MAX_CONCURRENT_CALLS). Past
// that a wait is refused at once: the caller returns BusyError() instead, which the error table
// turns into a 503 with Retry-After, so an overloaded Okta costs a visitor an error page, never a
// hang or an nginx 504.
//
// Threads without a host (tests, the password-reset worker, mini-okta) wait in place: a Scope
// there admits and does nothing.
#pragma once

#include <string>

#include "base/error.h"

namespace userdesk::park {

// What the thread that serves requests provides. Both calls are made on the parking thread.
class Host {
 public:
  virtual ~Host() = default;
  // The thread is about to wait. False: the bound is reached and it must not.
  virtual bool Park() = 0;
  // The wait is over (only after a Park that returned true).
  virtual void Unpark() = 0;
};

// Installs the host for the calling thread (nullptr removes it).
void SetThreadHost(Host* host);

// How long a refused visitor is asked to wait before trying again (Retry-After, seconds).
inline constexpr int kBusyRetryAfterSeconds = 2;

// The error for a wait the host refused: kUnavailable with Reason::kProviderBusy.
Error BusyError(const std::string& what);
bool IsBusy(const Error& error);

// Parks the calling thread for the scope's life. Nested scopes on one thread park once.
class Scope {
 public:
  Scope();
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;
  // False when the host refused: the caller must not wait and returns BusyError().
  bool admitted() const { return admitted_; }

 private:
  bool admitted_ = true;
  bool parked_ = false;  // this scope is the outermost one and its host said yes
};

}  // namespace userdesk::park
