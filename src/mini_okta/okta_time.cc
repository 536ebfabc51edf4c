#include "mini_okta/okta_time.h"

#include <chrono>

namespace userdesk::mini_okta {

int64_t SystemNowMillis() {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  return duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace userdesk::mini_okta
