// The .env parser: a sysadmin's hand-edited file must never crash a responder at start-up.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> problems;
  auto values = userdesk::config::ParseDotEnv(input, &problems);
  for (const auto& [key, value] : values) {
    if (key.empty() || key.find('=') != std::string::npos) __builtin_trap();
  }
  return 0;
}
