// Whole-file reads and crash-safe whole-file writes: the one place userdesk and mini-okta touch
// files they own (data files, keys, templates, .env).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"

namespace userdesk::file {

// The file's bytes, or nullopt when it cannot be opened or read.
std::optional<std::string> Read(const std::string& path);

// Replaces path so that a crash leaves either the old or the new file, never a mix: writes a temp
// file beside it with the given mode, fsyncs it, renames it over path, fsyncs the directory.
Status WriteAtomically(const std::string& path, std::string_view data, int mode = 0600);

}  // namespace userdesk::file
