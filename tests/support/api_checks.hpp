#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include "raw_http.hpp"
#include "service_client.hpp"

namespace test_support {

// Checks of answers against the spec's conventions, shared by the API, end-to-end and saga
// tests. The require_ functions fail the test case (Catch2 REQUIRE) when a precondition of the
// checks after them does not hold.

// The spec: "All bodies are JSON (application/json; charset=utf-8)".
bool is_json_content_type(std::string_view content_type);
bool is_problem_content_type(std::string_view content_type);

// The answer has `status`, a JSON content type and a JSON object body, which it returns.
rapidjson::Document require_json(const Reply& reply, int status);

// The answer is the spec's error: `status`, Content-Type application/problem+json and a body of
// exactly the Problem members: type urn:ticketing:problem:<code in kebab case>, title the code
// as words ("Seat unavailable"), the same status, a non-empty detail, and `code`.
void require_problem(const Reply& reply, int status, std::string_view code);

// The member `name` of a JSON object, which must be there and of the type read (REQUIRE).
std::string require_string(const rapidjson::Value& json, const char* name);
std::int64_t require_int64(const rapidjson::Value& json, const char* name);
bool require_bool(const rapidjson::Value& json, const char* name);
const rapidjson::Value& require_array(const rapidjson::Value& json, const char* name);
// A string or null (nullopt).
std::optional<std::string> require_string_or_null(const rapidjson::Value& json, const char* name);
// An integer or null (nullopt).
std::optional<std::int64_t> require_int64_or_null(const rapidjson::Value& json, const char* name);

// One member of a JSON object and the field of a view it is read into; the field's type says
// what the member must be: a string, an integer, a boolean, or (an optional) one of the first
// two or null.
template <class Owner, class Field>
struct Member {
  Member(const char* name_in, Field Owner::*field_in) : name(name_in), field(field_in) {}
  const char* name;
  Field Owner::*field;
};

// Reads each of `members` of `json` into its field of `view` (of View or a base of it) with the
// require_ function of the field's type.
template <class View, class... Owners, class... Fields>
void require_members(const rapidjson::Value& json, View& view,
                     const Member<Owners, Fields>&... members) {
  const auto read = [&json](const char* name, auto& field) {
    using Field = std::remove_reference_t<decltype(field)>;
    if constexpr (std::is_same_v<Field, std::string>) {
      field = require_string(json, name);
    } else if constexpr (std::is_same_v<Field, std::int64_t>) {
      field = require_int64(json, name);
    } else if constexpr (std::is_same_v<Field, bool>) {
      field = require_bool(json, name);
    } else if constexpr (std::is_same_v<Field, std::optional<std::string>>) {
      field = require_string_or_null(json, name);
    } else {
      static_assert(std::is_same_v<Field, std::optional<std::int64_t>>, "no reader for this type");
      field = require_int64_or_null(json, name);
    }
  };
  (read(members.name, view.*members.field), ...);
}

// A View of the JSON object answered with `status` (require_json), its `members` read.
template <class View, class... Owners, class... Fields>
View require_view(const Reply& reply, int status, const Member<Owners, Fields>&... members) {
  View view;
  require_members(require_json(reply, status), view, members...);
  return view;
}

// The operations endpoints: /healthz and /readyz answer 200 JSON, /metrics 200 text/plain naming
// each of `metric_names`; returns the metrics text.
std::string require_operations_endpoints(const ServiceClient& service,
                                         std::initializer_list<const char*> metric_names);

// The spec's 401 for a queue-gated route: require_problem(reply, 401, code) with a
// WWW-Authenticate challenge of the Bearer scheme.
void require_bearer_challenge(const Reply& reply, std::string_view code);

// A user id in canonical form (lowercase, dashed) and a queue token (32 lowercase hex digits).
bool is_canonical_uuid(const std::string& text);
bool is_token(const std::string& text);

// `text` in ASCII upper case: an id or a token spelt the wrong way.
std::string uppercase(std::string_view text);

// The `code` of a problem answer, or "" when the body is not one (never fails the test; safe
// on any thread).
std::string problem_code(const Reply& reply);

}  // namespace test_support
