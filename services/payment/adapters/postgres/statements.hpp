#pragma once

#include <pqxx/connection>

namespace payment::sql {

// Points the connection at the payment schema and prepares every statement of the payment's
// repositories; run once per connection.
void prepare_all(pqxx::connection& connection);

// prepare_all, and commits on this connection return before their WAL reaches the disk
// (synchronous_commit off): for writes that the saga's recovery redoes when a database crash
// loses the last few milliseconds of them. A later durable commit makes them durable too.
void prepare_recoverable(pqxx::connection& connection);

}  // namespace payment::sql
