#include "okta/failure_response.h"

#include <string>

namespace userdesk::okta {

int PageStatus(const Failure& failure) {
  switch (failure.error.code) {
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kDeadlineExceeded:
      return 504;
    case ErrorCode::kUpstreamUnavailable:
      return 502;
    default:
      return 503;
  }
}

void AddRetryAfter(const Failure& failure, http::Response* response) {
  if (failure.retry_after_seconds > 0) {
    response->Header("Retry-After", std::to_string(failure.retry_after_seconds));
  }
}

}  // namespace userdesk::okta
