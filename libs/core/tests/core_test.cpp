#include "ticketing/result.hpp"

#include <catch2/catch.hpp>
#include <string>

namespace {
enum class TestError { Boom };

ticketing::Result<int, TestError> half(int n) {
  if (n % 2 != 0) return ticketing::fail(TestError::Boom);
  return n / 2;
}
}  // namespace

TEST_CASE("Result holds a value or an error") {
  auto good = half(8);
  REQUIRE(good.ok());
  CHECK(good.value() == 4);

  auto bad = half(7);
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == TestError::Boom);
}

TEST_CASE("Result can carry the same type as value and error") {
  ticketing::Result<std::string, std::string> ok_result{std::string("yes")};
  ticketing::Result<std::string, std::string> err_result{ticketing::fail(std::string("no"))};
  CHECK(ok_result.value() == "yes");
  CHECK(err_result.error() == "no");
}

#include "ticketing/ids.hpp"

TEST_CASE("Random UUIDs are canonical, version 4 and distinct") {
  const auto a = ticketing::RandomIds::uuid_v4();
  const auto b = ticketing::RandomIds::uuid_v4();
  CHECK(ticketing::is_canonical_uuid(a));
  CHECK(a[14] == '4');
  CHECK(a != b);
  CHECK(ticketing::RandomIds::hex128().size() == 32);
}

TEST_CASE("Only canonical lowercase UUIDs are accepted") {
  CHECK(ticketing::is_canonical_uuid("123e4567-e89b-42d3-a456-426614174000"));
  CHECK_FALSE(ticketing::is_canonical_uuid("123E4567-E89B-42D3-A456-426614174000"));
  CHECK_FALSE(ticketing::is_canonical_uuid("123e4567e89b42d3a456426614174000"));
  CHECK_FALSE(ticketing::is_canonical_uuid("123e4567-e89b-42d3-a456-42661417400g"));
  CHECK_FALSE(ticketing::is_canonical_uuid(""));
}

#include <stdexcept>

#include "ticketing/completed.hpp"

TEST_CASE("Completed returns its value or rethrows its failure") {
  CHECK(ticketing::Completed<int>::with(7).get() == 7);
  auto failed = ticketing::Completed<int>::failed(
      std::make_exception_ptr(std::runtime_error("database down")));
  CHECK_THROWS_WITH(std::move(failed).get(), "database down");
}
