// The request metrics every service records (record_requests).
#include "ticketing/http/service.hpp"

#include <catch2/catch.hpp>
#include <chrono>
#include <string>

using namespace ticketing::http;
using namespace std::chrono_literals;

namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("request metrics count each route, method and status apart", "[metrics]") {
  ticketing::metrics::Registry registry;
  const auto record = record_requests(registry);
  const std::string route = "/api/v1/things/{id}";
  for (int i = 0; i < 3; ++i) record({Method::get, route, 200, 2ms});
  record({Method::get, route, 404, 1ms});
  record({Method::post, route, 200, 1ms});
  record({Method::get, std::string("/api/v1/other"), 200, 1ms});

  const auto text = registry.render();
  CHECK(has_line(
      text, R"(http_requests_total{route="/api/v1/things/{id}",method="GET",status="200"} 3)"));
  CHECK(has_line(
      text, R"(http_requests_total{route="/api/v1/things/{id}",method="GET",status="404"} 1)"));
  CHECK(has_line(
      text, R"(http_requests_total{route="/api/v1/things/{id}",method="POST",status="200"} 1)"));
  CHECK(
      has_line(text, R"(http_requests_total{route="/api/v1/other",method="GET",status="200"} 1)"));
  CHECK(has_line(
      text, R"(http_request_duration_seconds_count{route="/api/v1/things/{id}",method="GET"} 4)"));
}
