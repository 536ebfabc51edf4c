#include "http/request.h"

#include "base/strings.h"

namespace userdesk::http {
namespace {

template <typename Map>
std::optional<std::string> First(const Map& m, std::string_view key) {
  auto it = m.find(key);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

}  // namespace

std::optional<std::string> Request::Header(std::string_view lower_name) const {
  return First(headers, lower_name);
}
std::optional<std::string> Request::Query(std::string_view name) const {
  return First(query_params, name);
}
std::optional<std::string> Request::Form(std::string_view name) const { return First(form, name); }
std::optional<std::string> Request::Cookie(std::string_view name) const {
  return First(cookies, name);
}

bool Request::WantsJson() const {
  // fetch()/XHR callers cannot follow a redirect to the sign-in page (CORS), so they get JSON
  if (Header("x-requested-with") == "XMLHttpRequest") return true;
  auto accept = Header("accept");
  return accept && accept->find("application/json") != std::string::npos &&
         accept->find("text/html") == std::string::npos;
}

BodySize CheckContentLength(std::string_view content_length, size_t cap) {
  if (content_length.empty()) return BodySize::kNone;
  if (content_length.size() > 18)
    return BodySize::kTooLarge;  // all digits or not, far past any cap
  std::optional<size_t> n = ParseInteger<size_t>(content_length);
  if (!n) return BodySize::kInvalid;
  if (*n == 0) return BodySize::kNone;
  return *n > cap ? BodySize::kTooLarge : BodySize::kFits;
}

}  // namespace userdesk::http
