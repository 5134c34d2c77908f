#include <catch2/catch.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "db_test_migrations.hpp"

namespace {
std::string read_file(const std::string& path) {
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  REQUIRE(file);
  std::string text;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0) text.append(buffer, n);
  return text;
}
}  // namespace

TEST_CASE("embedded migrations come back in version order with their exact text") {
  const auto& migrations = ticketing::db::test::migrations();
  REQUIRE(migrations.size() == 3);
  CHECK(migrations[0].version == 1);
  CHECK(migrations[0].name == "create_items");
  CHECK(migrations[1].version == 2);
  CHECK(migrations[1].name == "tricky_text");
  CHECK(migrations[2].version == 10);  // numeric order, and 010 is version 10
  CHECK(migrations[2].name == "seed_item");

  const std::string dir = TICKETING_DB_TEST_MIGRATIONS_DIR;
  CHECK(migrations[0].sql == read_file(dir + "/001_create_items.sql"));
  CHECK(migrations[1].sql == read_file(dir + "/002_tricky_text.sql"));
  CHECK(migrations[2].sql == read_file(dir + "/010_seed_item.sql"));
  CHECK(migrations[1].sql.find(")\"") != std::string::npos);  // raw-string terminators survive
  CHECK(migrations[1].sql.find("\xE2\x9C\x93") != std::string::npos);  // UTF-8 survives
  CHECK(migrations[2].sql.back() == ';');  // no newline added to a file without one
}
