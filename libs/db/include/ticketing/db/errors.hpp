#pragma once

#include <pqxx/except>
#include <string_view>

#include "ticketing/errors.hpp"

namespace ticketing::db {

// The database cannot be reached (connection lost, commit outcome unknown, no connection free in
// time). Derives from DependencyUnavailable so the HTTP server answers 503 for it.
struct Unavailable : DependencyUnavailable {
  using DependencyUnavailable::DependencyUnavailable;
};

// True when `error` is a unique_violation (SQLSTATE 23505) on the named constraint or index.
// An empty `constraint` matches any unique violation.
bool is_unique_violation(const pqxx::sql_error& error, std::string_view constraint = {});

}  // namespace ticketing::db
