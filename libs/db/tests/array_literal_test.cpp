#include "ticketing/db/array_literal.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "ticketing/db/testing/temp_database.hpp"

using ticketing::db::array_literal;

namespace {

// What PostgreSQL makes of `literal` cast to `type`, element by element, as text.
std::vector<std::string> elements_of(const std::string& literal, const std::string& type) {
  ticketing::db::testing::TempDatabase db;
  pqxx::connection connection(db.admin_url());
  pqxx::nontransaction txn(connection);
  const auto sql =
      "SELECT e::text FROM unnest($1::" + type + ") WITH ORDINALITY AS t(e, i) ORDER BY i";
  connection.prepare("unnest", sql);
  std::vector<std::string> out;
  for (const auto& row : txn.exec_prepared("unnest", literal)) out.push_back(row[0].c_str());
  return out;
}

}  // namespace

TEST_CASE("Array literals are written element by element") {
  CHECK(array_literal(std::vector<std::string>{}) == "{}");
  CHECK(array_literal(std::vector<std::int64_t>{1, -2, 30}) == "{1,-2,30}");
  CHECK(array_literal(std::vector<std::string>{"a", "b"}) == R"({"a","b"})");
  CHECK(array_literal(std::vector<std::string>{R"(say "hi")", R"(C:\)"}) ==
        R"({"say \"hi\"","C:\\"})");
}

TEST_CASE("PostgreSQL reads every text back as the one element it was", "[postgres]") {
  const std::vector<std::string> texts{
      "plain", "", "with,comma", "{braces}", R"("quoted")", R"(back\slash)", "NULL", " spaced "};
  CHECK(elements_of(array_literal(texts), "text[]") == texts);
  const std::vector<std::string> uuids{"123e4567-e89b-42d3-a456-426614174000"};
  CHECK(elements_of(array_literal(uuids), "uuid[]") == uuids);
  CHECK(elements_of(array_literal(std::vector<std::int64_t>{7, -9'000'000'000}), "bigint[]") ==
        std::vector<std::string>{"7", "-9000000000"});
}

TEST_CASE("An empty optional is NULL, a present one its value, the text NULL stays text",
          "[postgres]") {
  const std::vector<std::optional<std::string>> keys{"key-1", std::nullopt, "NULL"};
  CHECK(array_literal(keys) == R"({"key-1",NULL,"NULL"})");
  ticketing::db::testing::TempDatabase db;
  pqxx::connection connection(db.admin_url());
  pqxx::nontransaction txn(connection);
  connection.prepare("nulls", "SELECT count(*) FROM unnest($1::text[]) AS t(e) WHERE e IS NULL");
  CHECK(txn.exec_prepared("nulls", array_literal(keys))[0][0].as<int>() == 1);
}
