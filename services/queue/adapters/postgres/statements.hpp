#pragma once

#include <pqxx/connection>

namespace queue::sql {

// Points the connection at the queue schema and prepares every statement of the queue's
// repositories; run once per connection.
void prepare_all(pqxx::connection& connection);

// The channel on which the statements that end a token announce its value (pg_notify).
inline constexpr char kTokenEndChannel[] = "queue_token_ended";

// The channel on which a change to the line's settings or opening is announced (migration 007).
inline constexpr char kLineChangeChannel[] = "queue_line_changed";

// Serialises issue batches, admission passes and expiries across all replicas.
inline constexpr long long kLineLock = 0x7175657565;  // "queue"

}  // namespace queue::sql
