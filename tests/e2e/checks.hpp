#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "support/raw_http.hpp"

namespace e2e {

// The reply's status is `status` (REQUIRE: the steps after it depend on it); shows the body if not.
void require_status(const test_support::Reply& reply, int status);

// The reply's body as JSON (REQUIRE: it is JSON).
rapidjson::Document json_of(const test_support::Reply& reply);

// The reply is the spec's error: `status`, Content-Type application/problem+json and a body of
// exactly the document's Problem members, type urn:ticketing:problem:<code in kebab case>, title
// the code as words ("Seat unavailable"), the same status, a detail and `code`. This is the
// check of answers that Prism cannot see (send_to_gateway); it is the Problem schema of
// public.openapi.yaml written out.
void require_problem(const test_support::Reply& reply, int status, std::string_view code);

}  // namespace e2e
