#include "ticketing/db/migrations.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <pqxx/pqxx>

#include "ticketing/db/connection_info.hpp"

namespace ticketing::db {

namespace {

// Lowercase unquoted PostgreSQL identifiers only: no quoting surprises, no reserved prefixes.
void require_simple_identifier(const std::string& name, const char* what) {
  const bool ok = !name.empty() && name.size() <= 63 &&
                  (name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z')) &&
                  std::all_of(name.begin(), name.end(),
                              [](char c) {
                                return c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
                              }) &&
                  name.rfind("pg_", 0) != 0;
  if (!ok) {
    throw MigrationError(std::string("migrate: ") + what + " '" + name +
                         "' is not a simple lowercase identifier ([a-z_][a-z0-9_]*, not pg_*)");
  }
}

// Holds a session-level advisory lock for the connection's lifetime or until destroyed.
class AdvisoryLock {
 public:
  AdvisoryLock(pqxx::connection& connection, const std::string& key) : connection_(connection) {
    pqxx::nontransaction txn(connection_);
    key_sql_ = "hashtextextended(" + txn.quote(key) + ", 0)";
    txn.exec("SELECT pg_advisory_lock(" + key_sql_ + ")");
  }
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;
  ~AdvisoryLock() {
    try {
      pqxx::nontransaction txn(connection_);
      txn.exec("SELECT pg_advisory_unlock(" + key_sql_ + ")");
    } catch (...) {  // NOLINT: closing the session releases it anyway
    }
  }

 private:
  pqxx::connection& connection_;
  std::string key_sql_;
};

bool is_concurrent_role_change(const pqxx::sql_error& e) {
  // duplicate_object / unique_violation on pg_authid: another database's migrator created the
  // role between our check and CREATE; "tuple concurrently updated" from a parallel ALTER ROLE.
  return e.sqlstate() == "42710" || e.sqlstate() == "23505" ||
         (e.sqlstate() == "XX000" &&
          std::string_view(e.what()).find("concurrently") != std::string_view::npos);
}

void ensure_role(pqxx::connection& connection, const SchemaOwner& owner) {
  for (int attempt = 1;; ++attempt) {
    try {
      pqxx::work txn(connection);
      const bool exists =
          txn.exec1("SELECT count(*) FROM pg_roles WHERE rolname = " + txn.quote(owner.role))[0]
              .as<int>() > 0;
      txn.exec0(std::string(exists ? "ALTER" : "CREATE") + " ROLE " + txn.quote_name(owner.role) +
                " WITH LOGIN PASSWORD " + txn.quote(owner.password));
      txn.commit();
      return;
    } catch (const pqxx::sql_error& e) {
      if (attempt >= 5 || !is_concurrent_role_change(e)) throw;
    }
  }
}

void ensure_schema(pqxx::connection& connection, const SchemaOwner& owner) {
  pqxx::work txn(connection);
  const std::string schema = txn.quote_name(owner.schema);
  const std::string role = txn.quote_name(owner.role);
  const std::string database = txn.exec1("SELECT current_database()")[0].as<std::string>();
  // GRANT CONNECT rewrites the database's catalog row, which every schema's migrator grants on:
  // run concurrently (the schema's lock does not order them), all but one fail with "tuple
  // concurrently updated". One at a time per database, until this transaction ends.
  txn.exec("SELECT pg_advisory_xact_lock(hashtextextended('ticketing.migrate:grants', 0))");
  txn.exec0("CREATE SCHEMA IF NOT EXISTS " + schema + " AUTHORIZATION " + role);
  txn.exec0("ALTER SCHEMA " + schema + " OWNER TO " + role);
  txn.exec0("GRANT CONNECT ON DATABASE " + txn.quote_name(database) + " TO " + role);
  txn.exec0("SET LOCAL ROLE " + role);
  txn.exec0(
      "CREATE TABLE IF NOT EXISTS " + schema +
      ".schema_migrations (version int PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, "
      "applied_at timestamptz NOT NULL DEFAULT now())");
  txn.commit();
}

std::vector<const Migration*> sorted_checked(const std::vector<Migration>& migrations) {
  std::vector<const Migration*> sorted;
  for (const auto& m : migrations) sorted.push_back(&m);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->version < b->version; });
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (sorted[i]->version <= 0) {
      throw MigrationError("migrate: version must be positive, got " +
                           std::to_string(sorted[i]->version));
    }
    if (i > 0 && sorted[i]->version == sorted[i - 1]->version) {
      throw MigrationError("migrate: version " + std::to_string(sorted[i]->version) +
                           " appears twice");
    }
  }
  return sorted;
}

}  // namespace

std::string migration_checksum(std::string_view sql) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : sql) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = digits[hash & 0xfU];
    hash >>= 4;
  }
  return out;
}

void migrate(std::string_view admin_url, const SchemaOwner& owner,
             const std::vector<Migration>& migrations, const log::Logger& logger) {
  require_simple_identifier(owner.schema, "schema");
  require_simple_identifier(owner.role, "role");
  const auto sorted = sorted_checked(migrations);

  pqxx::connection connection{std::string(admin_url)};
  AdvisoryLock lock(connection, "ticketing.migrate:" + owner.schema);
  ensure_role(connection, owner);
  ensure_schema(connection, owner);

  std::map<int, std::string> applied;  // version -> checksum
  {
    pqxx::read_transaction txn(connection);
    for (const auto& row : txn.exec("SELECT version, checksum FROM " +
                                    txn.quote_name(owner.schema) + ".schema_migrations")) {
      applied.emplace(row[0].as<int>(), row[1].as<std::string>());
    }
  }

  for (const Migration* m : sorted) {
    const std::string checksum = migration_checksum(m->sql);
    if (auto found = applied.find(m->version); found != applied.end()) {
      if (found->second != checksum) {
        throw MigrationError("migrate: migration " + std::to_string(m->version) + " (" + m->name +
                             ") in schema " + owner.schema + " was applied with checksum " +
                             found->second + " but its SQL now hashes to " + checksum +
                             ": applied migrations must never change, add a new one");
      }
      continue;
    }
    pqxx::work txn(connection);
    const std::string schema = txn.quote_name(owner.schema);
    // Run as the role so every object it creates belongs to the role, inside its schema.
    txn.exec0("SET LOCAL ROLE " + txn.quote_name(owner.role));
    txn.exec0("SET LOCAL search_path TO " + schema);
    txn.exec(m->sql);
    txn.exec0("INSERT INTO " + schema + ".schema_migrations (version, name, checksum) VALUES (" +
              txn.quote(m->version) + ", " + txn.quote(m->name) + ", " + txn.quote(checksum) + ")");
    txn.commit();
    logger.info("db_migration_applied", [&](json::Writer& w) {
      w.field("schema", owner.schema).field("version", m->version).field("name", m->name);
    });
  }

  for (const auto& [version, checksum] : applied) {
    const bool known =
        std::any_of(sorted.begin(), sorted.end(), [&](auto* m) { return m->version == version; });
    if (!known) {
      logger.warn("db_migration_unknown", [&](json::Writer& w) {
        w.field("schema", owner.schema)
            .field("version", version)
            .field("detail", "applied but not in this build");
      });
    }
  }
}

void migrate_as_owner(std::string_view admin_url, std::string_view service_url,
                      std::string_view schema, const std::vector<Migration>& migrations,
                      const log::Logger& logger) {
  auto credentials = credentials_of(service_url);
  if (!credentials) throw MigrationError("DATABASE_URL: " + credentials.error());
  if (credentials->user.empty()) throw MigrationError("DATABASE_URL names no user");
  migrate(admin_url, {std::string(schema), credentials->user, credentials->password}, migrations,
          logger);
}

}  // namespace ticketing::db
