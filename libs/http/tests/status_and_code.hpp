#pragma once

#include <string>

#include "ticketing/http/response.hpp"

namespace ticketing::http::test {

// "<status> <problem code>" of a problem+json response, to compare with the one expected.
inline std::string status_and_code(const Response& response) {
  const std::string key = R"("code":")";
  const auto at = response.body.find(key);
  if (at == std::string::npos) return std::to_string(response.status) + " <no code>";
  const auto start = at + key.size();
  return std::to_string(response.status) + ' ' +
         response.body.substr(start, response.body.find('"', start) - start);
}

}  // namespace ticketing::http::test
