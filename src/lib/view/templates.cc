#include "view/templates.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>
#include <unordered_map>

#include "base/file.h"
#include "base/strings.h"

namespace userdesk::view {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kPartialsDir = "partials/";
constexpr std::string_view kContentTag = "{{{content}}}";

std::atomic<unsigned long> g_generation{0};

using ParseCache = std::unordered_map<std::string, std::unique_ptr<mustache::mustache>>;

// kainjow's render() mutates the template object, so each worker thread keeps its own parsed
// copies, dropped when another Templates instance (a reload) is used.
ParseCache& ThreadCache(unsigned long generation) {
  thread_local unsigned long cached_generation = 0;
  thread_local ParseCache cache;
  if (cached_generation != generation) {
    cache.clear();
    cached_generation = generation;
  }
  return cache;
}

// A line that holds nothing but one section, inverted-section, closing or comment tag.
bool StandaloneTag(std::string_view line) {
  if (line.size() < 5 || !line.starts_with("{{") || !line.ends_with("}}")) return false;
  if (line.find("{{", 2) != std::string_view::npos) return false;  // two tags: not standalone
  return std::string_view("#^/!").find(line[2]) != std::string_view::npos;
}

// What is sent is what the page says, not how its source is laid out: each line loses its
// indentation and trailing blanks (HTML collapses them, and no template keeps a multi-line
// <pre> or <textarea>), and a line holding only a section or comment tag goes entirely, as the
// mustache spec's "standalone" rule says and kainjow does not do (it leaves a blank line for
// each). The form with every field of Okta's base profile shrinks by about a tenth.
std::string Compact(std::string_view source) {
  std::string out;
  out.reserve(source.size());
  while (!source.empty()) {
    size_t end = source.find('\n');
    bool has_newline = end != std::string_view::npos;
    std::string_view line = TrimSpace(source.substr(0, has_newline ? end : source.size()));
    source.remove_prefix(has_newline ? end + 1 : source.size());
    out.append(line);
    // a lone section or comment tag stays, but not its line
    if (has_newline && !StandaloneTag(line)) out.push_back('\n');
  }
  return out;
}

// Replaces every {{> name}} with the partial's source, so the hot path never parses a partial
// (kainjow parses partials at each render). Nesting is followed to a small depth; a missing
// partial or a cycle is an error at start-up rather than silently empty output.
Result<std::string> ExpandPartials(const std::string& name, const std::string& source,
                                   const std::map<std::string, std::string, std::less<>>& partials,
                                   int depth = 0) {
  static const std::regex kPartialTag(R"(\{\{>\s*([A-Za-z0-9_/-]+)\s*\}\})");
  if (depth > 8)
    return MakeError(ErrorCode::kInternal, "template " + name + ": partials nest too deep");
  std::string out;
  auto begin = std::sregex_iterator(source.begin(), source.end(), kPartialTag);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    auto partial = partials.find(m[1].str());
    if (partial == partials.end()) {
      return MakeError(ErrorCode::kInternal,
                       "template " + name + ".mustache: no partial named " + m[1].str());
    }
    auto expanded = ExpandPartials(name, partial->second, partials, depth + 1);
    if (!expanded) return expanded;
    out.append(source, last, static_cast<size_t>(m.position(0)) - last).append(*expanded);
    last = static_cast<size_t>(m.position(0) + m.length(0));
  }
  out.append(source, last);
  return out;
}

}  // namespace

Result<Templates> Templates::FromSources(std::map<std::string, std::string, std::less<>> sources) {
  Templates t;
  std::map<std::string, std::string, std::less<>> partials;
  for (const auto& [name, source] : sources) {
    if (name.rfind(kPartialsDir, 0) == 0) {
      // without the file's last newline: the line that includes it ends with its own
      std::string partial = Compact(source);
      if (partial.ends_with('\n')) partial.pop_back();
      partials[name.substr(kPartialsDir.size())] = std::move(partial);
    }
  }
  for (const auto& [name, source] : sources) {
    auto expanded = ExpandPartials(name, Compact(source), partials);
    if (!expanded) return expanded.error();
    mustache::mustache check(*expanded);
    if (!check.is_valid()) {
      return MakeError(ErrorCode::kInternal,
                       "template " + name + ".mustache: " + check.error_message());
    }
    if (size_t at = expanded->find(kContentTag); at != std::string::npos) {
      // the parse cache's keys for the halves: a newline is in no template's name
      Halves halves{expanded->substr(0, at), expanded->substr(at + kContentTag.size()),
                    name + "\n<", name + "\n>"};
      for (const std::string* half : {&halves.before, &halves.after}) {
        mustache::mustache half_check(*half);
        if (!half_check.is_valid() || half->find(kContentTag) != std::string::npos) {
          return MakeError(ErrorCode::kInternal, "template " + name +
                                                     ".mustache: " + std::string(kContentTag) +
                                                     " must appear once, outside any section");
        }
      }
      t.halves_[name] = std::move(halves);
    }
    t.sources_[name] = std::move(*expanded);
  }
  t.generation_ = ++g_generation;
  return t;
}

Result<Templates> Templates::Load(const std::string& dir) {
  std::map<std::string, std::string, std::less<>> sources;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec), end;
  if (ec)
    return MakeError(ErrorCode::kInternal, "templates directory " + dir + ": " + ec.message());
  for (; it != end; it.increment(ec)) {
    if (ec)
      return MakeError(ErrorCode::kInternal, "templates directory " + dir + ": " + ec.message());
    if (!it->is_regular_file() || it->path().extension() != ".mustache") continue;
    auto text = file::Read(it->path().string());
    if (!text) return MakeError(ErrorCode::kInternal, "cannot read " + it->path().string());
    std::string name = fs::relative(it->path(), dir).replace_extension().generic_string();
    sources[name] = std::move(*text);
  }
  if (sources.empty()) return MakeError(ErrorCode::kInternal, "no templates found in " + dir);
  return FromSources(std::move(sources));
}

mustache::data Text(std::string text) {
  mustache::data d{mustache::data::type::string};
  // string_value() is the data's own heap string (kainjow holds it in a unique_ptr), not const
  const_cast<std::string&>(d.string_value()) = std::move(text);
  return d;
}

mustache::data List(mustache::list items) {
  mustache::data d{mustache::data::type::list};
  const_cast<mustache::list&>(d.list_value()) = std::move(items);  // as in Text
  return d;
}

void Set(mustache::data* object, const std::string& name, mustache::data value) {
  if (object->is_object()) (*object)[name] = std::move(value);
}

Status Templates::RenderInto(const std::string& key, const std::string& source,
                             const mustache::data& data, std::string* out) const {
  ParseCache& cache = ThreadCache(generation_);
  auto& slot = cache[key];
  if (!slot) slot = std::make_unique<mustache::mustache>(source);
  // appended straight to the result (kainjow's render(data) goes through an ostringstream and
  // copies its string out)
  slot->render(data, [out](const std::string& text) { out->append(text); });
  if (!slot->is_valid()) {
    std::string problem = slot->error_message();
    slot.reset();  // a failed render leaves the object in error; parse afresh next time
    return MakeError(ErrorCode::kInternal, "rendering " + key + ": " + problem);
  }
  return OkStatus();
}

Result<std::string> Templates::Render(std::string_view name, const mustache::data& data) const {
  auto it = sources_.find(name);
  if (it == sources_.end()) {
    return MakeError(ErrorCode::kInternal, "no template named " + std::string(name));
  }
  std::string out;
  out.reserve(it->second.size() + 512);
  if (Status rendered = RenderInto(it->first, it->second, data, &out); !rendered.ok()) {
    return rendered.error();
  }
  return out;
}

Result<std::string> Templates::RenderAround(std::string_view name, const mustache::data& data,
                                            std::string_view content) const {
  auto it = halves_.find(name);
  if (it == halves_.end()) {
    return MakeError(ErrorCode::kInternal,
                     "template " + std::string(name) + " has no " + std::string(kContentTag));
  }
  const Halves& halves = it->second;
  std::string out;
  out.reserve(halves.before.size() + content.size() + halves.after.size() + 512);
  if (Status before = RenderInto(halves.before_key, halves.before, data, &out); !before.ok()) {
    return before.error();
  }
  out.append(content);
  if (Status after = RenderInto(halves.after_key, halves.after, data, &out); !after.ok()) {
    return after.error();
  }
  return out;
}

}  // namespace userdesk::view
