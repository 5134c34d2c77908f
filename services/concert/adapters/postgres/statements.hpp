#pragma once

#include <pqxx/connection>

namespace concert::sql {

// Points the connection at the concert schema and prepares every statement of the concert's
// repositories; run once per connection.
void prepare_all(pqxx::connection& connection);

// Advisory lock class of a user's holds of one date (the two-key form keeps it apart from the
// one-key locks other services take on the same database).
inline constexpr int kUserDateLockClass = 0x636f6e63;  // "conc"

}  // namespace concert::sql
