#include "session/device.h"

#include <gtest/gtest.h>

#include <string>

namespace userdesk::session {
namespace {

TEST(DeviceName, NamesTodaysBrowsersAndSystems) {
  struct Case {
    const char* user_agent;
    const char* name;
  };
  const Case cases[] = {
      {"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Linux"},
      {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
       "Edge on Windows"},
      {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
       "Version/17.5 Safari/605.1.15",
       "Safari on macOS"},
      {"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Mobile Safari/537.36",
       "Chrome on Android"},
      {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
       "Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
       "Chrome on iOS"},
      {"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
       "Chrome/126.0.0.0 Safari/537.36",
       "Chrome on ChromeOS"},
      {"curl/7.88.1", "curl on unknown system"},
      {"", "Unknown browser on unknown system"},
  };
  for (const Case& c : cases) EXPECT_EQ(DeviceName(c.user_agent), c.name) << c.user_agent;
}

TEST(DeviceName, AnyHeaderGivesAShortName) {
  std::string huge(100000, 'A');
  huge += " Firefox/1";  // past the part that is read
  EXPECT_EQ(DeviceName(huge), "Unknown browser on unknown system");
  EXPECT_LE(DeviceName(huge).size(), 64u);
}

}  // namespace
}  // namespace userdesk::session
