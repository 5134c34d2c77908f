#include "ticketing/json/writer.hpp"

#include <catch2/catch.hpp>

using ticketing::json::Writer;

TEST_CASE("Writer builds nested objects and arrays with commas in place") {
  Writer w;
  w.begin_object()
      .field("name", "seat")
      .field("no", 7)
      .field("price", std::int64_t{150000})
      .field("held", true)
      .field("expiresAt", nullptr)
      .key("list")
      .begin_array()
      .value(1)
      .value(2)
      .begin_object()
      .end_object()
      .end_array()
      .end_object();
  CHECK(w.str() ==
        R"({"name":"seat","no":7,"price":150000,"held":true,"expiresAt":null,"list":[1,2,{}]})");
}

TEST_CASE("Writer escapes control characters and quotes") {
  Writer w;
  w.value(std::string_view("a\"b\\c\n\x01", 7));
  CHECK(w.str() == R"("a\"b\\c\n\u0001")");
}

TEST_CASE("Writer keeps valid UTF-8 and replaces invalid bytes") {
  Writer valid;
  valid.value("좌석");
  CHECK(valid.str() == "\"좌석\"");

  Writer invalid;
  invalid.value(std::string_view("a\xff\xc3", 3));
  CHECK(invalid.str() == R"("a\ufffd\ufffd")");
}

TEST_CASE("Writer writes optionals as value or null") {
  Writer w;
  w.begin_array().value(std::optional<int>{}).value(std::optional<int>{3}).end_array();
  CHECK(w.str() == "[null,3]");
}
