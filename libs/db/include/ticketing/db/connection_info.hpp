#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ticketing/result.hpp"

namespace ticketing::db {

struct Credentials {
  std::string user;
  std::string password;
};

// Extracts user and password from a libpq connection string, URI (postgresql://u:p@h:5432/db)
// or key=value form. Missing parts are empty; a string libpq cannot parse is an error.
Result<Credentials, std::string> credentials_of(std::string_view url);

// Rewrites a connection string (URI or key=value) as key=value with the given keywords set,
// e.g. {{"user", "queue"}, {"password", "..."}, {"dbname", "tickets"}}.
Result<std::string, std::string> with_options(
    std::string_view url, const std::vector<std::pair<std::string, std::string>>& overrides);

}  // namespace ticketing::db
