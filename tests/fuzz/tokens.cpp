// The small validators at the services' edges, each against a reference written here:
// - payment's Idempotency-Key: valid exactly when 1..255 visible ASCII characters;
// - payment's body fingerprint: 16 lowercase hex digits of the body's 64-bit FNV-1a hash;
// - queue's token: well formed exactly when 32 lowercase hex digits;
// - libs/http's bearer_token: the trimmed rest of "Bearer <token>", any case of the scheme,
//   a view into the header; gateway_user: a canonical UUID or 401; admin_key_matches: equality.
#include <string>

#include "check.hpp"
#include "domain/idempotency.hpp"
#include "domain/token.hpp"
#include "ticketing/http/service.hpp"

namespace {

using ticketing::http::Request;

bool lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// FNV-1a's steps, but from the code's offset basis 1469598103934665603: FNV's own is
// 14695981039346656037, one digit longer. Pinned as it is: another basis would change every
// fingerprint, and the retry of a request keyed before the change would be refused with 422.
std::string fnv1a_hex(std::string_view body) {
  std::uint64_t hash = 1469598103934665603;
  for (const char c : body) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3;
  std::string out;
  for (int shift = 60; shift >= 0; shift -= 4) out += "0123456789abcdef"[(hash >> shift) & 0xf];
  return out;
}

bool canonical_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !lower_hex(text[i])) return false;
  }
  return true;
}

Request with_header(std::string name, std::string_view value) {
  Request request;
  request.headers.emplace_back(std::move(name), std::string(value));
  return request;
}

void check_bearer(std::string_view value) {
  const auto request = with_header("authorization", value);
  const auto token = ticketing::http::bearer_token(request);
  std::string_view expected;
  std::string scheme(value.substr(0, 7));
  for (auto& c : scheme) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  if (value.size() > 7 && scheme == "bearer ") {
    expected = value.substr(7);
    while (!expected.empty() && expected.front() == ' ') expected.remove_prefix(1);
    while (!expected.empty() && expected.back() == ' ') expected.remove_suffix(1);
  }
  fuzz::require(token == expected, "bearer_token is the trimmed rest of 'Bearer '");
  const auto& stored = request.headers.front().second;
  fuzz::require(token.empty() || (token.data() >= stored.data() &&
                                  token.data() + token.size() <= stored.data() + stored.size()),
                "bearer_token is a view into the header");
}

void check_gateway_user(std::string_view value) {
  const auto user = ticketing::http::gateway_user(with_header("X-User-Id", value));
  fuzz::require(user.ok() == canonical_uuid(value), "gateway_user takes a canonical UUID only");
  if (user) {
    fuzz::require(user.value() == value, "gateway_user is the header's value");
    return;
  }
  fuzz::require_problem(user.error());
  fuzz::require(user.error().status == 401, "a missing user is 401");
}

void check_admin_key(std::string_view text) {
  const auto split = text.find('\n');
  const auto given = text.substr(0, split);
  const auto key = split == std::string_view::npos ? std::string_view{} : text.substr(split + 1);
  const auto request = with_header("X-Admin-Key", given);
  fuzz::require(ticketing::http::admin_key_matches(request, std::string(key)) == (given == key),
                "the admin key matches exactly when equal");
  fuzz::require(!ticketing::http::admin_key_matches(request, std::nullopt),
                "no configured key matches nothing");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto text = fuzz::text_of(data, size);

  const bool key_ok = !text.empty() && text.size() <= 255 && fuzz::visible_ascii(text);
  fuzz::require(payment::is_valid_idempotency_key(text) == key_ok,
                "an Idempotency-Key is 1..255 visible ASCII");
  const auto print = payment::fingerprint(text);
  fuzz::require(print == fnv1a_hex(text), "the fingerprint is the body's FNV-1a hash in hex");

  bool token_ok = text.size() == 32;
  for (const char c : text) token_ok = token_ok && lower_hex(c);
  fuzz::require(queue::is_well_formed_token(text) == token_ok, "a token is 32 lowercase hex");

  check_bearer(text);
  check_gateway_user(text);
  check_admin_key(text);
  return 0;
}
