#include "ticketing/db/testing/temp_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <pqxx/pqxx>
#include <random>
#include <stdexcept>

#include "ticketing/db/connection_info.hpp"

namespace ticketing::db::testing {

namespace {

std::string rewrite(const std::string& url,
                    std::vector<std::pair<std::string, std::string>> overrides) {
  auto result = with_options(url, overrides);
  if (!result)
    throw std::runtime_error("TICKETING_TEST_PG is not a valid connection string: " +
                             result.error());
  return std::move(result).value();
}

}  // namespace

std::string unique_name(std::string_view prefix) {
  static std::atomic<unsigned> counter{0};
  thread_local std::mt19937 random{std::random_device{}()};
  std::string name(prefix.substr(0, 30));
  name += "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
          std::to_string(std::uniform_int_distribution<unsigned>(0, 0xffffff)(random));
  return name;
}

TempDatabase::TempDatabase() {
  const char* url = std::getenv("TICKETING_TEST_PG");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error("TICKETING_TEST_PG is not set: run the tests through tests/run.sh");
  }
  server_url_ = url;
  name_ = unique_name("test");
  pqxx::connection connection(server_url_);
  pqxx::nontransaction txn(connection);
  txn.exec0("CREATE DATABASE " + txn.quote_name(name_));
}

TempDatabase::~TempDatabase() {
  try {
    pqxx::connection connection(server_url_);
    pqxx::nontransaction txn(connection);
    txn.exec0("DROP DATABASE IF EXISTS " + txn.quote_name(name_) + " WITH (FORCE)");
    for (const auto& role : roles_) {
      try {
        txn.exec0("DROP ROLE IF EXISTS " + txn.quote_name(role));
      } catch (const pqxx::sql_error&) {  // still owns objects elsewhere: leave it
      }
    }
  } catch (...) {  // NOLINT: a leftover test database must not turn into std::terminate
  }
}

std::string TempDatabase::admin_url() const { return rewrite(server_url_, {{"dbname", name_}}); }

std::string TempDatabase::url_for(std::string_view role, std::string_view password) const {
  return rewrite(
      server_url_,
      {{"dbname", name_}, {"user", std::string(role)}, {"password", std::string(password)}});
}

std::string TempDatabase::unique_role(std::string_view prefix) {
  roles_.push_back(unique_name(prefix));
  return roles_.back();
}

}  // namespace ticketing::db::testing

// libpqxx 6.4 leaks one PGresult (~2 KB) when it first touches a connection the server has
// closed ("Could not obtain client encoding"); the pool then discards that connection. Rare in
// production (once per lost connection), but it would fail every LeakSanitizer run of a test
// that kills backends, so tests linking this library ignore leaks from inside libpqxx only.
extern "C" const char* __lsan_default_suppressions();  // NOLINT: sanitizer runtime hook
extern "C" const char* __lsan_default_suppressions() { return "leak:libpqxx-6.4.so\n"; }
