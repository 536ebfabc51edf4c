#include "profile/profile_form.h"

#include "base/iso_time.h"
#include "base/strings.h"

namespace userdesk::profile {

Submission ReadSubmission(const http::Params& form, int64_t now_seconds) {
  Submission s;
  for (const auto& [name, value] : form) {
    if (name == "csrf" || FindField(name) != nullptr) continue;
    if (name.starts_with(kShownPrefix)) {
      std::string_view attribute = std::string_view(name).substr(kShownPrefix.size());
      if (FindField(attribute) != nullptr) {
        s.shown.emplace(std::string(attribute), std::string(TrimSpace(value)));
        continue;
      }
    }
    if (s.ignored.empty() || s.ignored.back() != name) s.ignored.push_back(name);
  }
  std::string today = FormatUtc(now_seconds * 1000, "%Y-%m-%d");
  for (const FieldSpec& field : kProfileFields) {
    std::string name(field.name);
    auto it = form.find(field.name);
    std::string& value = s.values[name];
    value = it == form.end() ? "" : std::string(TrimSpace(it->second));
    // A value the user left as the form showed it is not theirs to fix (Okta holds it, e.g. a
    // birthdate another app wrote as "April 1"): only a required field must still be filled.
    auto shown = s.shown.find(name);
    bool unchanged = shown != s.shown.end() && shown->second == value;
    if (unchanged && !value.empty()) continue;
    std::string problem = form::CheckValue(field, value, today);
    if (!problem.empty()) s.errors[name] = problem;
  }
  return s;
}

std::vector<okta::ProfileChange> ChangedFields(const Submission& submission,
                                               const okta::User& current) {
  std::vector<okta::ProfileChange> changes;
  for (const FieldSpec& field : kProfileFields) {
    std::string name(field.name);
    const std::string& value = submission.values.at(name);
    auto shown = submission.shown.find(name);
    const std::string& before =
        shown != submission.shown.end() ? shown->second : current.Attribute(name);
    if (value == before) continue;
    if (value.empty()) {
      changes.emplace_back(name, std::nullopt);
    } else {
      changes.emplace_back(name, value);
    }
  }
  return changes;
}

}  // namespace userdesk::profile
