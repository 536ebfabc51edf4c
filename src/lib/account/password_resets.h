// Password-reset requests, worked through by one background thread, off the request path.
//
// Why: the reset page must not tell whether an account exists (no user enumeration), and
// timing tells as much as words do. Asking Okta to send the mail takes a call of tens of
// milliseconds against a real org, so the page answers as soon as the request is decided, the
// same answer in the same time for every address, and the Okta call happens here.
//
// Before a request is queued, the address's cooldown is checked (account/reset_cooldown.h): one
// reset per address per cooldown, whoever asks, so repeats never take a place in the queue. The
// queue is bounded: past it a request is dropped and counted, never buffered without end. On
// destruction (shutdown, reload) what is queued is still worked through for up to
// drain_seconds; anything left after that is dropped and counted in the log.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "account/reset_cooldown.h"
#include "okta/authn_client.h"

namespace userdesk::account {

struct ResetRequest {
  std::string email;       // as the user typed it (trimmed)
  std::string request_id;  // nginx's, to tie the log lines to the page request
};

// A monotonic clock in milliseconds (std::chrono::steady_clock's).
int64_t SteadyNowMs();

struct ResetOptions {
  size_t max_pending = 64;               // queued requests, beyond the one being worked on
  int64_t cooldown_ms = 15 * 60 * 1000;  // per address; 0: off
  size_t max_cooled_addresses = 10000;   // the cooldown table's cap
  int drain_seconds = 10;                // the work left at destruction is done within this
  std::function<int64_t()> now_ms = SteadyNowMs;  // for the cooldown; tests drive their own
};

class PasswordResets {
 public:
  using Work = std::function<void(const ResetRequest&)>;

  enum class Outcome {
    kQueued,       // the worker will send it
    kCoolingDown,  // a reset for this address started within the cooldown: nothing to do
    kDropped,      // the queue is full (or the worker is stopping): dropped and counted
  };

  // Starts the worker thread. work handles one request; it must not throw.
  PasswordResets(Work work, ResetOptions options);
  ~PasswordResets();
  PasswordResets(const PasswordResets&) = delete;
  PasswordResets& operator=(const PasswordResets&) = delete;

  // Checks the address's cooldown, then queues the request; a dropped request does not start
  // the cooldown, so the person can ask again once the queue has room.
  Outcome Enqueue(ResetRequest request);

  // Requests dropped since start because the queue was full or the worker stopping.
  uint64_t dropped() const;

  // Blocks until nothing is queued or being worked on (for tests).
  void WaitIdle();

 private:
  void Run();

  Work work_;
  ResetOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;  // a request came, or stopping
  std::condition_variable idle_;  // the queue emptied and the worker is free
  std::deque<ResetRequest> pending_;
  ResetCooldown cooldown_;
  uint64_t dropped_ = 0;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;  // last: starts after everything it uses
};

// The work for one request: ask Okta to mail the address a reset link through its self-service
// recovery (okta::AuthnClient::RecoverPasswordByEmail), which changes nothing about the account.
// Okta decides whether the address belongs to a user who may recover a password, and answers
// the same either way, so the log says only whether Okta took the request, with the request id;
// the address shows nowhere. Failures are only logged: the person already has their answer.
void SendResetEmail(const okta::AuthnClient& client, const ResetRequest& request);

}  // namespace userdesk::account
