#pragma once

#include <rapidjson/document.h>

#include <stdexcept>
#include <string>

namespace test_support {

// Parses a response body in a test; throws with the text when it is not JSON.
inline rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  if (document.HasParseError()) throw std::runtime_error("not JSON: " + text);
  return document;
}

}  // namespace test_support
