#include "ticketing/json/reader.hpp"

#include <catch2/catch.hpp>

using ticketing::json::ObjectReader;

TEST_CASE("ObjectReader reads the fields it is asked for") {
  ObjectReader body(R"({"date":"2026-12-24","seatNo":7,"paused":false})");
  auto date = body.required_string("date");
  auto seat = body.required_int("seatNo");
  auto paused = body.optional_bool("paused");
  auto missing = body.optional_int("capacity");
  REQUIRE_FALSE(body.finish());
  CHECK(*date == "2026-12-24");
  CHECK(*seat == 7);
  CHECK(*paused == false);
  CHECK_FALSE(missing);
}

TEST_CASE("ObjectReader rejects wrong types instead of defaulting") {
  SECTION("string for integer") {
    ObjectReader body(R"({"seatNo":"7"})");
    body.required_int("seatNo");
    CHECK(body.finish() == "'seatNo' must be an integer");
  }
  SECTION("fraction for integer") {
    ObjectReader body(R"({"amount":1.5})");
    body.required_int("amount");
    CHECK(body.finish() == "'amount' must be an integer");
  }
  SECTION("integer too large for 64 bits") {
    ObjectReader body(R"({"amount":123456789012345678901234567890})");
    body.required_int("amount");
    CHECK(body.finish().has_value());
  }
  SECTION("number for string") {
    ObjectReader body(R"({"userId":5})");
    body.optional_string("userId");
    CHECK(body.finish() == "'userId' must be a string of UTF-8 text");
  }
  SECTION("array element of the wrong type") {
    ObjectReader body(R"({"dates":["2026-12-24",3]})");
    body.required_string_array("dates");
    CHECK(body.finish() == "'dates' must be an array of strings");
  }
}

TEST_CASE("ObjectReader rejects unknown, duplicate and missing fields") {
  ObjectReader unknown(R"({"userId":"x","admin":true})");
  unknown.optional_string("userId");
  CHECK(unknown.finish() == "unknown field 'admin'");

  ObjectReader duplicate(R"({"seatNo":1,"seatNo":2})");
  duplicate.required_int("seatNo");
  CHECK(duplicate.finish() == "field 'seatNo' appears twice");

  ObjectReader missing(R"({})");
  missing.required_int("seatNo");
  CHECK(missing.finish() == "'seatNo' is required");
}

TEST_CASE("ObjectReader rejects text that is not one JSON object") {
  for (const char* text : {"", "[]", "42", "{", R"({"a":1} trailing)", "nul"}) {
    ObjectReader body(text);
    INFO(text);
    CHECK(body.finish().has_value());
  }
}

TEST_CASE("ObjectReader rejects a NUL byte anywhere, even after a valid value") {
  ObjectReader body(std::string_view("{}\0garbage", 10));
  CHECK(body.finish() == "malformed JSON: the body contains a NUL byte");
}

TEST_CASE("ObjectReader survives decimals with hundreds of digits") {
  const std::string text = R"({"amount":0.)" + std::string(400, '0') + "1}";
  ObjectReader body(text);
  body.required_int("amount");
  CHECK(body.finish() == "'amount' must be an integer");
}

TEST_CASE("ObjectReader names the field that failed, so endpoints can answer per field") {
  ObjectReader wrong(R"({"date":"2026-12-24","seatNo":"7"})");
  wrong.required_string("date");
  wrong.required_int("seatNo");
  CHECK(wrong.parsed());
  CHECK(wrong.failed_field() == "seatNo");

  ObjectReader missing(R"({})");
  missing.required_string("date");
  CHECK(missing.failed_field() == "date");

  ObjectReader malformed("{");
  malformed.required_string("date");
  CHECK_FALSE(malformed.parsed());
  CHECK_FALSE(malformed.failed_field());
}

TEST_CASE("ObjectReader refuses strings that are not UTF-8 text") {
  for (const std::string& text :
       {std::string("{\"t\":\"\xc3\x28\"}"), std::string("{\"t\":\"\\udfff\"}"),
        std::string("{\"t\":\"ok\xe2\x82\"}")}) {
    ObjectReader body(text);
    body.required_string("t");
    INFO(text);
    CHECK(body.failed_field() == "t");
  }
  ObjectReader fine(R"({"t":"좌석 \u00e9"})");
  CHECK(fine.required_string("t") == "좌석 é");
}

TEST_CASE("ObjectReader can treat an empty body as an empty object") {
  ObjectReader body("", /*empty_is_object=*/true);
  CHECK_FALSE(body.optional_string("userId"));
  CHECK_FALSE(body.finish());
}

TEST_CASE("ObjectReader reads deeply nested text without running out of stack") {
  // A million '[': the recursive parser needed a stack frame each (tests/fuzz regression).
  const std::string deep(1'000'000, '[');
  ObjectReader body(deep);
  CHECK_FALSE(body.parsed());
  CHECK(body.finish().has_value());
  ObjectReader nested(R"({"a":[[[[["x"]]]]]})");
  CHECK_FALSE(nested.required_string_array("a"));
}

TEST_CASE("ObjectReader looks a name up by its length, not up to a NUL") {
  // A view into longer text, and a member whose name holds "\u0000" (tests/fuzz regression).
  ObjectReader body(R"({"seatNo":7,"a\u0000b":true})");
  CHECK(body.required_int(std::string_view("seatNoX", 6)) == 7);
  CHECK(body.has(std::string_view("a\0b", 3)));
  CHECK(body.required_bool(std::string_view("a\0b", 3)) == true);
  CHECK_FALSE(body.finish());
}
