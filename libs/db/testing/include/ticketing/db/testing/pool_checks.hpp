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

}  // namespace ticketing::db::testing
