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
