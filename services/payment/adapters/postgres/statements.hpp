#pragma once

#include <pqxx/connection>

namespace payment::sql {

// Points the connection at the payment schema and prepares every statement of the payment's
// repositories; run once per connection.
void prepare_all(pqxx::connection& connection);

}  // namespace payment::sql
