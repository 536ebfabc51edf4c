// Mustache templates (kainjow) loaded from one directory at start-up: every *.mustache file is
// parsed then, so a malformed one stops the responder with the file and the problem named.
// Names are paths without the extension ("layout", "home/index"); files under partials/ are
// available to every template as {{> name}} (expanded at load time; a missing one is an error).
// {{x}} escapes HTML; raw {{{x}}} is allowed only where the caller passes already-rendered HTML
// (the layout's page body).
#pragma once

#include <kainjow/mustache.hpp>
#include <map>
#include <string>
#include <string_view>

#include "base/error.h"

namespace userdesk::view {

namespace mustache = kainjow::mustache;

// kainjow's data::set and data::push_back copy their argument, deeply for lists and objects, and
// a data cannot be made from a string or a list without copying it. These move instead (a page's
// rows, the rendered body inside the layout); the result is the same data.
mustache::data Text(std::string text);
mustache::data List(mustache::list items);
// object[name] = value, as object.set(name, value) does, without the copy.
void Set(mustache::data* object, const std::string& name, mustache::data value);

class Templates {
 public:
  static Result<Templates> Load(const std::string& dir);
  // For tests: name -> source.
  static Result<Templates> FromSources(std::map<std::string, std::string, std::less<>> sources);

  // Renders a template; an unknown name or a render-time error (e.g. in a partial) is an Error,
  // never half a page.
  Result<std::string> Render(std::string_view name, const mustache::data& data) const;
  // A template holding {{{content}}} once, outside any section (the layout), rendered around
  // already-rendered HTML: the content is appended between its two halves as it is, never
  // copied into the data or passed through the renderer.
  Result<std::string> RenderAround(std::string_view name, const mustache::data& data,
                                   std::string_view content) const;

  bool Has(std::string_view name) const { return sources_.count(name) != 0; }

 private:
  Status RenderInto(const std::string& key, const std::string& source, const mustache::data& data,
                    std::string* out) const;

  struct Halves {
    std::string before, after;          // the source either side of {{{content}}}
    std::string before_key, after_key;  // their names in the per-thread parse cache
  };
  std::map<std::string, std::string, std::less<>> sources_;  // partials already expanded
  std::map<std::string, Halves, std::less<>> halves_;        // those holding {{{content}}}
  unsigned long generation_ = 0;  // tells apart instances in the per-thread parse cache
};

}  // namespace userdesk::view
