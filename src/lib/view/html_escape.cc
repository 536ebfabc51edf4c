#include "view/html_escape.h"

#include <kainjow/mustache.hpp>

namespace userdesk::view {

std::string HtmlEscape(std::string_view text) {
  return kainjow::mustache::html_escape<std::string>(std::string(text));
}

}  // namespace userdesk::view
