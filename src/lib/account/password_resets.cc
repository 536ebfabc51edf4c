#include "account/password_resets.h"

#include <chrono>
#include <optional>

#include "base/log.h"

namespace userdesk::account {
namespace {

constexpr char kComponent[] = "password-reset";

}  // namespace

int64_t SteadyNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

PasswordResets::PasswordResets(Work work, ResetOptions options)
    : work_(std::move(work)),
      options_(std::move(options)),
      cooldown_(options_.cooldown_ms, options_.max_cooled_addresses),
      worker_([this] { Run(); }) {}

PasswordResets::~PasswordResets() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  worker_.join();
}

PasswordResets::Outcome PasswordResets::Enqueue(ResetRequest request) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    int64_t now = options_.now_ms();
    if (cooldown_.CoolingDown(request.email, now)) return Outcome::kCoolingDown;
    if (stopping_ || pending_.size() >= options_.max_pending) {
      dropped_++;
      return Outcome::kDropped;
    }
    cooldown_.Start(request.email, now);
    pending_.push_back(std::move(request));
  }
  wake_.notify_one();
  return Outcome::kQueued;
}

uint64_t PasswordResets::dropped() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return dropped_;
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
      drain_until = Clock::now() + std::chrono::seconds(options_.drain_seconds);
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

void SendResetEmail(const okta::AuthnClient& client, const ResetRequest& request) {
  okta::OktaResult<Ok> asked = client.RecoverPasswordByEmail(request.email);
  if (asked.ok()) {
    log::Info(kComponent,
              "Okta took the reset request (it mails the link if the account may "
              "recover its password)" +
                  log::IdTag(request.request_id));
    return;
  }
  // the Okta client has logged the call's detail
  const okta::Failure& failure = asked.error();
  std::string hint;
  if (failure.error.code == ErrorCode::kUpstreamUnavailable ||
      failure.error.code == ErrorCode::kUnprocessable) {
    // a refusal of the call itself, not an outage: the org may not serve self-service recovery
    // through the Authentication API (docs/deploy.md, "Password reset")
    hint =
        "; if every reset fails this way, check that the org allows self-service password "
        "recovery by email (docs/deploy.md)";
  }
  log::Warn(kComponent, std::string("could not ask Okta for the reset email: ") +
                            ToString(failure.error.code) + hint + log::IdTag(request.request_id));
}

}  // namespace userdesk::account
