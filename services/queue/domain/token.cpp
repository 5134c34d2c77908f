#include "token.hpp"

namespace queue {

std::string_view to_string(TokenStatus status) {
  switch (status) {
    case TokenStatus::waiting:
      return "WAITING";
    case TokenStatus::active:
      return "ACTIVE";
    case TokenStatus::expired:
      return "EXPIRED";
    case TokenStatus::dropped:
      return "DROPPED";
  }
  return "EXPIRED";
}

std::optional<TokenStatus> token_status_from(std::string_view text) {
  if (text == "WAITING") return TokenStatus::waiting;
  if (text == "ACTIVE") return TokenStatus::active;
  if (text == "EXPIRED") return TokenStatus::expired;
  if (text == "DROPPED") return TokenStatus::dropped;
  return std::nullopt;
}

bool is_well_formed_token(std::string_view value) {
  if (value.size() != 32) return false;
  for (char c : value) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool has_lapsed(const Token& token, TimePoint now) {
  return token.status == TokenStatus::active && token.expires_at && *token.expires_at <= now;
}

bool awaits_draw(const Token& token) {
  return token.status == TokenStatus::waiting && token.place == 0;
}

bool is_live(const Token& token, TimePoint now) {
  return token.status == TokenStatus::waiting ||
         (token.status == TokenStatus::active && !has_lapsed(token, now));
}

bool was_admitted(const Token& token) {
  return token.expires_at.has_value() && token.status != TokenStatus::dropped;
}

}  // namespace queue
