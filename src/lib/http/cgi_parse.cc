#include "http/cgi_parse.h"

#include <cgicc/CgiEnvironment.h>
#include <cgicc/CgiInput.h>
#include <cgicc/CgiUtils.h>
#include <cgicc/Cgicc.h>
#include <cgicc/HTTPCookie.h>

#include "base/strings.h"

namespace userdesk::http {
namespace {

// Presents a string as a CGI request to cgicc, whose parser of a query string or body is private
// and reachable only through a CgiInput: a POST whose body is `body`, with the given Cookie header.
class StringInput : public cgicc::CgiInput {
 public:
  StringInput(std::string_view body, std::string_view cookie) : body_(body), cookie_(cookie) {}

  size_t read(char* data, size_t length) override {
    size_t n = std::min(length, body_.size() - pos_);
    body_.copy(data, n, pos_);
    pos_ += n;
    return n;
  }

  std::string getenv(const char* name) override {
    std::string_view n(name);
    if (n == "REQUEST_METHOD") return "POST";
    if (n == "CONTENT_TYPE") return "application/x-www-form-urlencoded";
    if (n == "CONTENT_LENGTH") return std::to_string(body_.size());
    if (n == "HTTP_COOKIE") return cookie_;
    return "";
  }

 private:
  std::string body_;
  std::string cookie_;
  size_t pos_ = 0;
};

}  // namespace

Params ParseUrlEncoded(std::string_view text) {
  Params out;
  if (text.empty()) return out;
  StringInput input(text, "");
  cgicc::Cgicc cgi(&input);
  for (const cgicc::FormEntry& e : *cgi) out.emplace(e.getName(), e.getValue());
  return out;
}

std::map<std::string, std::string, std::less<>> ParseCookieHeader(std::string_view header) {
  std::map<std::string, std::string, std::less<>> out;
  if (header.empty()) return out;
  StringInput input("", header);
  cgicc::CgiEnvironment env(&input);
  for (const cgicc::HTTPCookie& c : env.getCookieList()) {
    // cgicc trims only leading spaces; RFC 6265 §5.2 trims both ends of name and value (a
    // header line holds no CR or LF, so TrimSpace's are the spaces and tabs it means)
    out.emplace(std::string(TrimSpace(c.getName())), std::string(TrimSpace(c.getValue())));
  }
  return out;
}

std::string FormUrlEncode(std::string_view value) {
  return cgicc::form_urlencode(std::string(value));
}

std::string FormUrlDecode(std::string_view value) {
  return cgicc::form_urldecode(std::string(value));
}

std::string AppendQuery(std::string_view url, const QueryParams& params) {
  std::string out(url);
  char separator = out.find('?') == std::string::npos ? '?' : '&';
  for (const auto& [name, value] : params) {
    out += separator + FormUrlEncode(name) + "=" + FormUrlEncode(value);
    separator = '&';
  }
  return out;
}

}  // namespace userdesk::http
