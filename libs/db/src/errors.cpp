#include "ticketing/db/errors.hpp"

#include <string>

namespace ticketing::db {

bool is_unique_violation(const pqxx::sql_error& error, std::string_view constraint) {
  if (error.sqlstate() != "23505") return false;
  if (constraint.empty()) return true;
  // libpqxx 6.4 does not expose the error's constraint field; the server's message names it
  // in double quotes: duplicate key value violates unique constraint "users_email_key".
  const std::string quoted = "\"" + std::string(constraint) + "\"";
  return std::string_view(error.what()).find(quoted) != std::string_view::npos;
}

}  // namespace ticketing::db
