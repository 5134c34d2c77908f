#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ticketing::http {

// A response as handlers build it. The server adds Content-Length, X-Request-Id and Connection.
struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A JSON response with the given status.
Response json_response(int status, std::string body);
// A bodiless response; 204 unless told otherwise.
Response empty_response(int status = 204);

}  // namespace ticketing::http
