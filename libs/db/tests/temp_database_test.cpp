#include "ticketing/db/testing/temp_database.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <pqxx/pqxx>
#include <string>

using ticketing::db::testing::TempDatabase;

TEST_CASE("TempDatabase refuses to run without TICKETING_TEST_PG instead of skipping") {
  const char* saved = std::getenv("TICKETING_TEST_PG");
  REQUIRE(saved != nullptr);  // the suite itself needs it: run through tests/run.sh
  const std::string original = saved;
  ::unsetenv("TICKETING_TEST_PG");
  CHECK_THROWS_WITH(TempDatabase(),
                    "TICKETING_TEST_PG is not set: run the tests through tests/run.sh");
  ::setenv("TICKETING_TEST_PG", original.c_str(), 1);
}

TEST_CASE("TempDatabase creates a database, hands out URLs to it, and drops it") {
  std::string name;
  {
    TempDatabase db;
    name = db.name();
    pqxx::connection admin(db.admin_url());
    pqxx::work txn(admin);
    CHECK(txn.exec1("SELECT current_database()")[0].as<std::string>() == name);
    const auto role = db.unique_role("probe");
    txn.exec0("CREATE ROLE " + txn.quote_name(role) + " LOGIN PASSWORD 'probe-pw'");
    txn.commit();
    pqxx::connection as_role(db.url_for(role, "probe-pw"));
    pqxx::nontransaction check(as_role);
    CHECK(check.exec1("SELECT current_user || '@' || current_database()")[0].as<std::string>() ==
          role + "@" + name);
  }
  pqxx::connection server(std::getenv("TICKETING_TEST_PG"));
  pqxx::nontransaction txn(server);
  CHECK(txn.exec1("SELECT count(*) FROM pg_database WHERE datname = " + txn.quote(name))[0]
            .as<int>() == 0);
  CHECK(
      txn.exec1("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'probe\\_%' AND rolname LIKE '%" +
                std::to_string(::getpid()) + "%'")[0]
          .as<int>() == 0);
}
