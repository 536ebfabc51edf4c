#include "health/idp_contact.h"

#include <atomic>

namespace userdesk::health {
namespace {

std::atomic<int64_t> last_answer_ms{0};
std::atomic<int64_t> last_failure_ms{0};

// Keeps the later of the stored time and now_ms (calls finish out of order across threads).
void StoreLater(std::atomic<int64_t>& slot, int64_t now_ms) {
  int64_t seen = slot.load(std::memory_order_relaxed);
  while (seen < now_ms && !slot.compare_exchange_weak(seen, now_ms, std::memory_order_relaxed)) {
  }
}

}  // namespace

void RecordContact(bool answered, int64_t now_ms) {
  StoreLater(answered ? last_answer_ms : last_failure_ms, now_ms);
}

Contact LastContact() {
  return Contact{last_answer_ms.load(std::memory_order_relaxed),
                 last_failure_ms.load(std::memory_order_relaxed)};
}

}  // namespace userdesk::health
