#include "health/readiness.h"

#include "json/json.h"

namespace userdesk::health {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void String(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace

bool Report::ready() const {
  for (const Check& c : checks) {
    if (!c.ok) return false;
  }
  return true;
}

Check OktaAnswering(const Contact& contact, int64_t now_ms) {
  Check check{"okta", false, ""};
  if (contact.last_answer_ms == 0) {
    check.detail = contact.last_failure_ms == 0 ? "the identity provider was never asked"
                                                : "the identity provider has never answered";
  } else if (contact.last_failure_ms > contact.last_answer_ms) {
    check.detail = "the identity provider's last call failed (unreachable, timeout or 5xx) " +
                   std::to_string((now_ms - contact.last_failure_ms) / 1000) + " s ago";
  } else if (now_ms - contact.last_answer_ms > kFreshContactMs) {
    check.detail = "no answer from the identity provider for " +
                   std::to_string((now_ms - contact.last_answer_ms) / 1000) + " s";
  } else {
    check.ok = true;
  }
  return check;
}

std::string LivenessJson(std::string_view responder) {
  rapidjson::StringBuffer out;
  Writer w(out);
  w.StartObject();
  w.Key("status");
  w.String("ok");
  w.Key("responder");
  String(w, responder);
  w.EndObject();
  return out.GetString();
}

std::string ReadinessJson(std::string_view responder, const Report& report) {
  rapidjson::StringBuffer out;
  Writer w(out);
  w.StartObject();
  w.Key("status");
  w.String(report.ready() ? "ready" : "not ready");
  w.Key("responder");
  String(w, responder);
  w.Key("failed");
  w.StartArray();
  for (const Check& c : report.checks) {
    if (!c.ok) String(w, c.name);
  }
  w.EndArray();
  w.Key("checks");
  w.StartArray();
  for (const Check& c : report.checks) {
    w.StartObject();
    w.Key("name");
    String(w, c.name);
    w.Key("ok");
    w.Bool(c.ok);
    if (!c.detail.empty()) {
      w.Key("detail");
      String(w, c.detail);
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return out.GetString();
}

}  // namespace userdesk::health
