#include "adapters/clients/peer.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace payment::peer {

std::string path_segment(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 0x0F]);
    }
  }
  return out;
}

std::optional<std::string> problem_code(std::string_view body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  const auto code = doc.FindMember("code");
  if (code == doc.MemberEnd() || !code->value.IsString()) return std::nullopt;
  return std::string(code->value.GetString(), code->value.GetStringLength());
}

std::string describe(
    const ticketing::Result<ticketing::http::ClientResponse, ticketing::http::ClientError>& reply) {
  if (!reply) return std::string(ticketing::http::describe(reply.error()));
  std::string text = "HTTP " + std::to_string(reply->status);
  if (auto code = problem_code(reply->body)) text += " (" + *code + ")";
  return text;
}

}  // namespace payment::peer
