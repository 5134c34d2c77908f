#include "ticketing/db/migrations.hpp"

#include <catch2/catch.hpp>
#include <exception>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "db_test_migrations.hpp"
#include "test_support.hpp"
#include "ticketing/db/testing/temp_database.hpp"

using ticketing::db::migrate;
using ticketing::db::MigrationError;
using ticketing::db::SchemaOwner;
using ticketing::db::test::CapturedLog;
using ticketing::db::testing::TempDatabase;

namespace {

std::string scalar(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::read_transaction txn(connection);
  const auto row = txn.exec1(sql);
  return row[0].is_null() ? "<null>" : row[0].as<std::string>();
}

}  // namespace

TEST_CASE("migrate creates the role, a schema and tables owned by it, and is idempotent") {
  TempDatabase db;
  const SchemaOwner owner{"shop", db.unique_role("shop"), "first-pw"};
  CapturedLog first;
  migrate(db.admin_url(), owner, ticketing::db::test::migrations(), first.logger());
  CHECK(first.count("db_migration_applied") == 3);

  const auto admin = db.admin_url();
  CHECK(scalar(admin, "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'shop'") ==
        owner.role);
  for (const char* table : {"items", "notes", "schema_migrations"}) {
    INFO(table);
    CHECK(
        scalar(admin,
               std::string(
                   "SELECT tableowner FROM pg_tables WHERE schemaname = 'shop' AND tablename = '") +
                   table + "'") == owner.role);
  }
  CHECK(scalar(admin, "SELECT proowner::regrole::text FROM pg_proc WHERE proname = 'note_count'") ==
        owner.role);
  CHECK(scalar(admin,
               "SELECT string_agg(version::text || ':' || name || ':' || checksum, ',' ORDER BY "
               "version) "
               "FROM shop.schema_migrations") ==
        "1:create_items:" +
            ticketing::db::migration_checksum(ticketing::db::test::migrations()[0].sql) +
            ",2:tricky_text:" +
            ticketing::db::migration_checksum(ticketing::db::test::migrations()[1].sql) +
            ",10:seed_item:" +
            ticketing::db::migration_checksum(ticketing::db::test::migrations()[2].sql));
  // The role logs in with its password and finds its tables on its own.
  CHECK(scalar(db.url_for(owner.role, "first-pw"), "SELECT count(*) FROM shop.items") == "1");
  const auto applied_at = scalar(admin, "SELECT max(applied_at)::text FROM shop.schema_migrations");

  // Second run (with a rotated password): applies nothing, updates the password.
  CapturedLog second;
  const SchemaOwner rotated{owner.schema, owner.role, "second-pw"};
  migrate(db.admin_url(), rotated, ticketing::db::test::migrations(), second.logger());
  CHECK(second.count("db_migration_applied") == 0);
  CHECK(scalar(admin, "SELECT count(*) FROM shop.items") == "1");
  CHECK(scalar(admin, "SELECT max(applied_at)::text FROM shop.schema_migrations") == applied_at);
  CHECK(scalar(db.url_for(owner.role, "second-pw"),
               "SELECT count(*) FROM shop.schema_migrations") == "3");
  CHECK_THROWS_AS(scalar(db.url_for(owner.role, "first-pw"), "SELECT 1"), pqxx::broken_connection);
}

TEST_CASE("migrate refuses to start when an applied migration's SQL changed") {
  TempDatabase db;
  const SchemaOwner owner{"shop", db.unique_role("shop"), "pw"};
  CapturedLog log;
  migrate(db.admin_url(), owner, ticketing::db::test::migrations(), log.logger());

  auto edited = ticketing::db::test::migrations();
  edited[1].sql += "\n-- an innocent-looking comment";
  try {
    migrate(db.admin_url(), owner, edited, log.logger());
    FAIL("migrate accepted a changed migration");
  } catch (const MigrationError& e) {
    const std::string message = e.what();
    CHECK(message.find("migration 2 (tricky_text)") != std::string::npos);
    CHECK(message.find("checksum") != std::string::npos);
  }
}

TEST_CASE("migrate rejects schema and role names that are not simple lowercase identifiers") {
  TempDatabase db;
  CapturedLog log;
  const std::vector<ticketing::db::Migration> none;
  CHECK_THROWS_AS(migrate(db.admin_url(), {"Shop", "shop_role", "pw"}, none, log.logger()),
                  MigrationError);
  CHECK_THROWS_AS(migrate(db.admin_url(), {"shop", "x\"; DROP", "pw"}, none, log.logger()),
                  MigrationError);
  CHECK_THROWS_AS(migrate(db.admin_url(), {"pg_shop", "shop_role", "pw"}, none, log.logger()),
                  MigrationError);
  CHECK_THROWS_AS(migrate(db.admin_url(), {"shop", "shop_role", "pw"}, {{1, "a", ""}, {1, "b", ""}},
                          log.logger()),
                  MigrationError);
}

TEST_CASE("concurrent migrators, in one database and in two, apply each version exactly once") {
  TempDatabase first_db;
  TempDatabase second_db;  // destroyed first, so first_db can drop the shared role
  const SchemaOwner owner{"shop", first_db.unique_role("race"), "pw"};
  constexpr int per_database = 4;
  std::vector<std::unique_ptr<CapturedLog>> logs;
  std::vector<std::exception_ptr> errors(2 * per_database);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2 * per_database; ++i) {
    logs.push_back(std::make_unique<CapturedLog>());
    const std::string url = i % 2 == 0 ? first_db.admin_url() : second_db.admin_url();
    threads.emplace_back([&, i, url] {
      try {
        migrate(url, owner, ticketing::db::test::migrations(),
                logs[static_cast<std::size_t>(i)]->logger());
      } catch (...) {
        errors[static_cast<std::size_t>(i)] = std::current_exception();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (auto& error : errors) {
    if (error) {
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        FAIL("a migrator failed: " << e.what());
      }
    }
  }
  std::size_t applied = 0;
  for (auto& log : logs) applied += log->count("db_migration_applied");
  CHECK(applied == 2 * 3);  // three migrations, once per database
  for (const TempDatabase* db : {&first_db, &second_db}) {
    CHECK(scalar(db->admin_url(), "SELECT count(*) FROM shop.schema_migrations") == "3");
    CHECK(scalar(db->admin_url(), "SELECT count(*) FROM shop.items") == "1");
  }
}

TEST_CASE("migrators of different schemas starting at once in one database all succeed") {
  // Each grants CONNECT on the database, a change of the same catalog row: PostgreSQL refuses
  // all but one of concurrent ones ("tuple concurrently updated"), as when a system's services
  // first start together.
  TempDatabase db;
  constexpr int schemas = 8;
  for (int round = 0; round < 3; ++round) {
    std::vector<SchemaOwner> owners;
    std::vector<std::unique_ptr<CapturedLog>> logs;
    for (int i = 0; i < schemas; ++i) {
      const std::string name = "s" + std::to_string(round) + "_" + std::to_string(i);
      owners.push_back({name, db.unique_role(name), "pw"});
      logs.push_back(std::make_unique<CapturedLog>());
    }
    std::vector<std::exception_ptr> errors(schemas);
    std::vector<std::thread> threads;
    for (int i = 0; i < schemas; ++i) {
      threads.emplace_back([&, i] {
        const auto index = static_cast<std::size_t>(i);
        try {
          migrate(db.admin_url(), owners[index], ticketing::db::test::migrations(),
                  logs[index]->logger());
        } catch (...) {
          errors[index] = std::current_exception();
        }
      });
    }
    for (auto& thread : threads) thread.join();
    for (auto& error : errors) {
      if (!error) continue;
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        FAIL("round " << round << ": a migrator failed: " << e.what());
      }
    }
  }
}

TEST_CASE("a service role cannot read another service's schema") {
  TempDatabase db;
  CapturedLog log;
  const std::vector<ticketing::db::Migration> secret_table{
      {1, "secret", "CREATE TABLE secret (x int); INSERT INTO secret VALUES (42);"}};
  const SchemaOwner queue{"queue", db.unique_role("queue"), "queue-pw"};
  const SchemaOwner payment{"payment", db.unique_role("payment"), "payment-pw"};
  migrate(db.admin_url(), queue, secret_table, log.logger());
  migrate(db.admin_url(), payment, secret_table, log.logger());

  const auto as_queue = db.url_for(queue.role, queue.password);
  CHECK(scalar(as_queue, "SELECT x FROM queue.secret") == "42");
  CHECK_THROWS_AS(scalar(as_queue, "SELECT x FROM payment.secret"), pqxx::insufficient_privilege);
  try {
    scalar(as_queue, "SELECT x FROM payment.secret");
  } catch (const pqxx::sql_error& e) {
    CHECK(std::string(e.what()).find("permission denied") != std::string::npos);
  }
  CHECK_THROWS_AS(scalar(db.url_for(payment.role, payment.password), "SELECT x FROM queue.secret"),
                  pqxx::insufficient_privilege);
}
