#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "ticketing/log/logger.hpp"

namespace ticketing::db {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// The role a service connects as and the schema it owns.
struct SchemaOwner {
  std::string schema;
  std::string role;
  std::string password;
};

// Thrown when migrations cannot be applied: an applied migration whose text changed, a bad
// identifier, duplicate versions. The service must refuse to start.
struct MigrationError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Stable hash of a migration's SQL text (FNV-1a 64-bit, 16 lowercase hex digits).
std::string migration_checksum(std::string_view sql);

// Connects with `admin_url` (a superuser) and, under an advisory lock keyed on the schema name:
// creates or updates the login role, creates the schema owned by it, grants CONNECT on the
// database, and applies each pending migration in version order in its own transaction run as
// the role with search_path set to the schema. Safe to run from many replicas at once.
// Throws MigrationError (changed checksum, bad names) or pqxx exceptions.
void migrate(std::string_view admin_url, const SchemaOwner& owner,
             const std::vector<Migration>& migrations, const log::Logger& logger);

// migrate() with the role and password taken from the service's own connection string: what a
// service does at start when it is given DATABASE_ADMIN_URL.
void migrate_as_owner(std::string_view admin_url, std::string_view service_url,
                      std::string_view schema, const std::vector<Migration>& migrations,
                      const log::Logger& logger);

}  // namespace ticketing::db
