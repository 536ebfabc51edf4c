// When the identity provider last answered and last failed to, as every outgoing call found it
// (http::Fetch records each one). Readiness asks it whether Okta is answering (health/readiness.h)
// without a call of its own while the responder's traffic keeps it informed.
#pragma once

#include <cstdint>

namespace userdesk::health {

struct Contact {
  int64_t last_answer_ms = 0;   // unix ms of the last HTTP answer below 500; 0: never
  int64_t last_failure_ms = 0;  // of the last call without an answer, or with a 5xx; 0: never
};

// answered: an HTTP status below 500 came back (a 4xx is the provider answering a bad question;
// a 429 is it answering too, if unwillingly).
void RecordContact(bool answered, int64_t now_ms);

// Both times, read without a lock (two relaxed atomics: a reader may see one call's update
// half-applied, which only moves a verdict by one call).
Contact LastContact();

}  // namespace userdesk::health
