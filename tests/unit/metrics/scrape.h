// This process's metrics as a scrape would read them, parsed strictly; a parse error fails the
// test that scraped.
#pragma once

#include <gtest/gtest.h>

#include "metrics/registry.h"
#include "support/prometheus_text.h"

namespace userdesk::metrics {

inline userdesk::testing::PrometheusText Scrape() {
  userdesk::testing::PrometheusText text = userdesk::testing::ParsePrometheusText(Exposition());
  EXPECT_EQ(text.error, "");
  return text;
}

}  // namespace userdesk::metrics
