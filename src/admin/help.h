// userdesk-admin's --help texts: one per command group, the exit codes in each.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace userdesk::admin {

// The help of "" (the whole program), "check", "schema", "users" or "sessions".
std::string_view Help(std::string_view topic);

// True when words hold --help or -h (before a lone "--").
bool WantsHelp(const std::vector<std::string>& words);

}  // namespace userdesk::admin
