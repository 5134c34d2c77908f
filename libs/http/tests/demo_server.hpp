#pragma once

#include <rapidjson/document.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "test_support.hpp"
#include "ticketing/errors.hpp"
#include "ticketing/http/problem.hpp"

// A demo router and readers of raw answers, for the tests of the HTTP server.

namespace ticketing::http::test {

using namespace std::chrono_literals;

inline std::string json_code(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("code")) return "<no code>";
  return doc["code"].GetString();
}

inline Router demo_router() {
  Router router;
  router.add(Method::get, "/items/{id}", [](const Request& r) {
    return json_response(200, "{\"id\":\"" + std::string(r.param("id")) + "\",\"q\":\"" +
                                  r.query_param("q").value_or("none") + "\"}");
  });
  router.add(
      Method::post, "/items",
      [](const Request& r) {
        auto response = json_response(201, r.body);
        response.headers.emplace_back("Location", "/items/1");
        return response;
      },
      Router::Execution::inline_io);
  router.add(Method::get, "/port",
             [](const Request& r) { return json_response(200, std::to_string(r.remote_port)); });
  router.add(Method::get, "/request-id",
             [](const Request& r) { return json_response(200, r.request_id); });
  router.add(Method::post, "/size",
             [](const Request& r) { return json_response(200, std::to_string(r.body.size())); });
  router.add(Method::get, "/throw",
             [](const Request&) -> Response { throw std::runtime_error("secret-db-password"); });
  router.add(Method::get, "/unavailable", [](const Request&) -> Response {
    throw ticketing::DependencyUnavailable("db down secret-host");
  });
  router.add(
      Method::get, "/throw-inline",
      [](const Request&) -> Response { throw std::logic_error("secret"); },
      Router::Execution::inline_io);
  router.add(Method::del, "/items/{id}", [](const Request&) { return empty_response(204); });
  // Answered later from another thread, twice: only the first answer counts.
  router.add_async(Method::get, "/later/{n}", [](const Request& r, Respond respond) {
    std::thread([respond, n = std::string(r.param("n"))] {
      std::this_thread::sleep_for(20ms);
      respond(json_response(200, n));
      respond(json_response(500, "second"));
    }).detach();
  });
  router.add_async(Method::get, "/later-unavailable", [](const Request&, Respond respond) {
    std::thread([respond] {
      respond.fail(std::make_exception_ptr(ticketing::DependencyUnavailable("db down")));
    }).detach();
  });
  router.add_async(Method::get, "/async-throw",
                   [](const Request&, Respond) { throw std::runtime_error("secret"); });
  return router;
}

inline std::string header_value(const std::string& raw, const std::string& name) {
  const auto at = raw.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "<absent>";
  const auto start = at + name.size() + 4;
  return raw.substr(start, raw.find("\r\n", start) - start);
}

}  // namespace ticketing::http::test
