// Password-reset requests, worked through by one background thread, off the request path.
//
// Why: the reset page must not tell whether an account exists (no user enumeration), and
// timing tells as much as words do. Looking the address up and asking Okta to send the mail
// takes one Okta call for an unknown address and two for a known one, each tens of
// milliseconds against a real org. So the page answers as soon as the request is queued, the
// same answer in the same time for every address, and the Okta calls happen here.
//
// The queue is bounded: a flood of requests (past nginx's rate limit) is dropped and logged,
// never buffered without end. On destruction (shutdown, reload) what is queued is still worked
// through for up to drain_seconds; anything left after that is dropped and counted in the log.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "okta/users_client.h"

namespace userdesk::account {

struct ResetRequest {
  std::string email;       // as the user typed it (trimmed)
  std::string request_id;  // nginx's, to tie the log lines to the page request
};

class PasswordResets {
 public:
  using Work = std::function<void(const ResetRequest&)>;

  // Starts the worker thread. work handles one request; it must not throw.
  PasswordResets(Work work, size_t max_pending, int drain_seconds = 10);
  ~PasswordResets();
  PasswordResets(const PasswordResets&) = delete;
  PasswordResets& operator=(const PasswordResets&) = delete;

  // Queues a request; false when the queue is full (the request is dropped).
  bool Enqueue(ResetRequest request);

  // Blocks until nothing is queued or being worked on (for tests).
  void WaitIdle();

 private:
  void Run();

  Work work_;
  size_t max_pending_;
  int drain_seconds_;
  std::mutex mutex_;
  std::condition_variable wake_;  // a request came, or stopping
  std::condition_variable idle_;  // the queue emptied and the worker is free
  std::deque<ResetRequest> pending_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread worker_;  // last: starts after everything it uses
};

// The work for one request: find the Okta user by login (the address) with api_token and, when
// MayResetPassword(status), ask Okta to mail them a reset link (GET /api/v1/users/{login} is
// Okta's consistent lookup; a search would read an index that lags behind new users). Every
// outcome is logged with the request id and, when found, the Okta user id; the address shows
// only in the users client's line for the lookup, the token never. Failures are only logged:
// the person already has their answer.
void SendResetEmail(const okta::UsersClient& client, const std::string& api_token,
                    const ResetRequest& request);

}  // namespace userdesk::account
