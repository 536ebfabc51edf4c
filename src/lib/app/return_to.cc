#include "app/return_to.h"

#include "http/cgi_parse.h"

namespace userdesk::app {
namespace {

// A path that is safe to put in a Location header as is: starts with one "/", and contains
// only printable ASCII without backslashes, spaces, or '"', '<' and '>' (which a browser always
// sends percent-encoded in a URL, and which JSON or HTML would have to escape).
bool SafeLocalPath(std::string_view p) {
  if (p.empty() || p[0] != '/') return false;
  if (p.size() > 1 && (p[1] == '/' || p[1] == '\\')) return false;
  for (unsigned char ch : p) {
    if (ch <= 0x20 || ch >= 0x7f || ch == '\\' || ch == '"' || ch == '<' || ch == '>') {
      return false;
    }
  }
  return true;
}

// What a decoding of the path may contain: it must still be one local path (spaces and
// non-ASCII are harmless once decoded; slashes and backslashes up front, or controls, are not).
bool StillLocal(std::string_view p) {
  if (p.empty() || p[0] != '/') return false;
  if (p.size() > 1 && (p[1] == '/' || p[1] == '\\')) return false;
  for (unsigned char ch : p) {
    if (ch < 0x20 || ch == 0x7f || ch == '\\') return false;
  }
  return true;
}

bool IsSignInPath(std::string_view p) {
  for (std::string_view flow : {"/login", "/logout", "/authorization-code/"}) {
    if (p.starts_with(flow) && (p.size() == flow.size() || flow.back() == '/' ||
                                p[flow.size()] == '?' || p[flow.size()] == '/')) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string CleanReturnTo(std::string_view raw) {
  if (raw.size() > kMaxReturnToBytes || !SafeLocalPath(raw) || IsSignInPath(raw)) {
    return std::string(kDefaultReturnTo);
  }
  // Encoded forms ("/%2F%2Fevil", "/%5Cevil") become dangerous if anything downstream decodes
  // them again: every decoding must stay a safe local path.
  std::string decoded(raw);
  for (int round = 0; round < 3 && decoded.find('%') != std::string::npos; round++) {
    decoded = http::FormUrlDecode(decoded);
    if (!StillLocal(decoded) || IsSignInPath(decoded)) return std::string(kDefaultReturnTo);
  }
  return std::string(raw);
}

std::string SignInPath(std::string_view return_to) {
  return "/login?returnTo=" + http::FormUrlEncode(return_to);
}

std::string FreshSignInPath(std::string_view return_to) {
  return "/login?fresh=1&returnTo=" + http::FormUrlEncode(return_to);
}

}  // namespace userdesk::app
