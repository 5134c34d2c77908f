#pragma once

#include <cstdint>
#include <string>

#include "ticketing/db/pool.hpp"

namespace ticketing::db::testing {

// Opens every connection of `pool` at once. Otherwise racing threads queue for the one connection
// a test's setup warmed, and run one after another instead of at once.
void open_every_connection(Pool& pool);

// The first column of `query`'s one row as a number: a test's count(*) check.
std::int64_t count_of(Pool& pool, const std::string& query);

// Runs `statement` in autocommit: a test's write behind the adapters' back.
void execute(Pool& pool, const std::string& statement);

}  // namespace ticketing::db::testing
