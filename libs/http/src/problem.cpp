#include "ticketing/http/problem.hpp"

#include "ticketing/json/writer.hpp"

namespace ticketing::http {

std::string problem_type(std::string_view code) {
  std::string type = "urn:ticketing:problem:";
  for (const char c : code) {
    if (c == '_') {
      type.push_back('-');
    } else if (c >= 'A' && c <= 'Z') {
      type.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      type.push_back(c);
    }
  }
  return type;
}

std::string problem_title(std::string_view code) {
  std::string title;
  title.reserve(code.size());
  for (const char c : code) {
    if (c == '_') {
      title.push_back(' ');
    } else if (c >= 'A' && c <= 'Z' && !title.empty()) {
      title.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      title.push_back(c);
    }
  }
  return title;
}

Response problem(int status, std::string_view code, std::string_view detail) {
  json::Writer w;
  w.begin_object()
      .field("type", problem_type(code))
      .field("title", problem_title(code))
      .field("status", status)
      .field("detail", detail)
      .field("code", code)
      .end_object();
  Response response;
  response.status = status;
  response.content_type = "application/problem+json";
  response.body = w.take();
  return response;
}

}  // namespace ticketing::http
