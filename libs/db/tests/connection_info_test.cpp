#include "ticketing/db/connection_info.hpp"

#include <catch2/catch.hpp>

using ticketing::db::credentials_of;
using ticketing::db::with_options;

TEST_CASE("credentials_of reads user and password from a URI, percent-decoded") {
  const auto credentials =
      credentials_of("postgresql://queue_svc:s%40cr%2Fet@localhost:5432/tickets?sslmode=disable");
  REQUIRE(credentials.ok());
  CHECK(credentials->user == "queue_svc");
  CHECK(credentials->password == "s@cr/et");
}

TEST_CASE("credentials_of reads user and password from a key=value string, quotes unescaped") {
  const auto credentials =
      credentials_of(R"(host=/tmp/pg port=5432 user=payment password='a b\'c\\d' dbname=x)");
  REQUIRE(credentials.ok());
  CHECK(credentials->user == "payment");
  CHECK(credentials->password == "a b'c\\d");
}

TEST_CASE("credentials_of leaves missing parts empty and rejects what libpq rejects") {
  const auto no_password = credentials_of("host=localhost user=concert");
  REQUIRE(no_password.ok());
  CHECK(no_password->user == "concert");
  CHECK(no_password->password.empty());

  const auto bad = credentials_of("host='unterminated");
  REQUIRE_FALSE(bad.ok());
  CHECK_FALSE(bad.error().empty());
  CHECK_FALSE(credentials_of("nonsense_keyword=1").ok());
}

TEST_CASE("with_options rewrites a URI as key=value with the given keywords replaced") {
  const auto url =
      with_options("postgresql://admin:pw@127.0.0.1:55432/postgres",
                   {{"user", "queue"}, {"password", "it's \\ secret"}, {"dbname", "tickets"}});
  REQUIRE(url.ok());
  const auto credentials = credentials_of(url.value());
  REQUIRE(credentials.ok());
  CHECK(credentials->user == "queue");
  CHECK(credentials->password == "it's \\ secret");
  CHECK(url.value().find("port='55432'") != std::string::npos);
  CHECK(url.value().find("dbname='tickets'") != std::string::npos);
  CHECK(url.value().find("postgres'") == std::string::npos);
}
