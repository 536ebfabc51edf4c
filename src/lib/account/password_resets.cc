#include "account/password_resets.h"

#include <chrono>

#include "account/registration.h"
#include "base/log.h"

namespace userdesk::account {
namespace {

constexpr char kComponent[] = "password-reset";

}  // namespace

PasswordResets::PasswordResets(Work work, size_t max_pending, int drain_seconds)
    : work_(std::move(work)),
      max_pending_(max_pending),
      drain_seconds_(drain_seconds),
      worker_([this] { Run(); }) {}

PasswordResets::~PasswordResets() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

bool PasswordResets::Enqueue(ResetRequest request) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_ || pending_.size() >= max_pending_) return false;
    pending_.push_back(std::move(request));
  }
  wake_.notify_one();
  return true;
}

void PasswordResets::WaitIdle() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return pending_.empty() && !busy_; });
}

void PasswordResets::Run() {
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> drain_until;
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_ && !drain_until)
      drain_until = Clock::now() + std::chrono::seconds(drain_seconds_);
    if (pending_.empty() || (drain_until && Clock::now() >= *drain_until)) break;
    ResetRequest request = std::move(pending_.front());
    pending_.pop_front();
    busy_ = true;
    lock.unlock();
    work_(request);
    lock.lock();
    busy_ = false;
    if (pending_.empty()) idle_.notify_all();
  }
  if (!pending_.empty()) {
    log::Warn(kComponent,
              "stopping: " + std::to_string(pending_.size()) + " reset requests dropped unsent");
    pending_.clear();
  }
  idle_.notify_all();
}

void SendResetEmail(const okta::UsersClient& client, const std::string& api_token,
                    const ResetRequest& request) {
  okta::OktaResult<okta::User> user = client.GetUser(api_token, request.email);
  if (!user.ok()) {
    if (user.error().error.code == ErrorCode::kNotFound) {
      log::Info(kComponent,
                "no Okta user has that login: nothing sent" + log::IdTag(request.request_id));
    } else {
      // the users client has logged the call's detail
      log::Warn(kComponent, std::string("could not look the user up: ") +
                                ToString(user.error().error.code) + log::IdTag(request.request_id));
    }
    return;
  }
  if (!MayResetPassword(user->status)) {
    log::Info(kComponent, "user " + user->id + " is " + user->status + ": nothing sent" +
                              log::IdTag(request.request_id));
    return;
  }
  okta::OktaResult<Ok> reset = client.ResetPassword(api_token, user->id);
  if (!reset.ok()) {
    log::Warn(kComponent, "could not start the reset of user " + user->id + ": " +
                              ToString(reset.error().error.code) + log::IdTag(request.request_id));
    return;
  }
  log::Info(kComponent, "reset email sent to user " + user->id + log::IdTag(request.request_id));
}

}  // namespace userdesk::account
