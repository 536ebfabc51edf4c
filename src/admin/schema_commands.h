// userdesk-admin schema export | diff FILE | apply FILE --yes [--allow-remove]: Okta's default
// user schema (its custom attributes) kept as a file in git (admin/schema_file.h). Read and
// written with USER_PROFILE_TOKEN through okta::SchemaClient.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace userdesk::admin {

// words: what follows "schema". Returns the exit code.
int SchemaCommand(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

}  // namespace userdesk::admin
