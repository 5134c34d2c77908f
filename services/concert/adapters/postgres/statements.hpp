#pragma once

#include <pqxx/connection>

namespace concert::sql {

// Points the connection at the concert schema and prepares every statement of the concert's
// repositories; run once per connection.
void prepare_all(pqxx::connection& connection);

}  // namespace concert::sql
