#include "session/device.h"

#include <array>
#include <utility>

namespace userdesk::session {
namespace {

using Row = std::pair<std::string_view, std::string_view>;  // a token in the header -> a name

// First match wins: the more specific tokens come before the ones they include.
constexpr std::array kBrowsers = {
    Row{"Edg/", "Edge"},         Row{"OPR/", "Opera"},       Row{"SamsungBrowser/", "Samsung Internet"},
    Row{"Firefox/", "Firefox"},  Row{"FxiOS/", "Firefox"},   Row{"CriOS/", "Chrome"},
    Row{"Chromium/", "Chromium"}, Row{"Chrome/", "Chrome"},  Row{"Safari/", "Safari"},
    Row{"curl/", "curl"},
};
constexpr std::array kSystems = {
    Row{"iPhone", "iOS"},        Row{"iPad", "iPadOS"},      Row{"Android", "Android"},
    Row{"CrOS", "ChromeOS"},     Row{"Windows", "Windows"},  Row{"Macintosh", "macOS"},
    Row{"Linux", "Linux"},
};

template <size_t N>
std::string_view Lookup(std::string_view header, const std::array<Row, N>& table,
                        std::string_view unknown) {
  for (const auto& [token, name] : table) {
    if (header.find(token) != std::string_view::npos) return name;
  }
  return unknown;
}

}  // namespace

std::string DeviceName(std::string_view user_agent) {
  user_agent = user_agent.substr(0, 1024);  // the tokens are near the start; bound the search
  std::string name(Lookup(user_agent, kBrowsers, "Unknown browser"));
  name += " on ";
  name += Lookup(user_agent, kSystems, "unknown system");
  return name;
}

}  // namespace userdesk::session
