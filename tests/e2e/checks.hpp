#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "support/api_checks.hpp"
#include "support/raw_http.hpp"

namespace e2e {

// The reply's status is `status` (REQUIRE: the steps after it depend on it); shows the body if not.
void require_status(const test_support::Reply& reply, int status);

// The reply's body as JSON (REQUIRE: it is JSON).
rapidjson::Document json_of(const test_support::Reply& reply);

// The spec's error answer, checked member by member (support/api_checks.hpp): the check of
// answers that Prism cannot see (send_to_gateway); the Problem schema of public.openapi.yaml
// written out.
using test_support::require_problem;

}  // namespace e2e
