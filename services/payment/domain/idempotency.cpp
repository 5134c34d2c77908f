#include "idempotency.hpp"

namespace payment {

bool is_valid_idempotency_key(std::string_view key) {
  if (key.empty() || key.size() > 255) return false;
  for (char c : key) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

std::string fingerprint(std::string_view body) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : body) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, hash >>= 4) out[static_cast<std::size_t>(i)] = kHex[hash & 0xF];
  return out;
}

KeyDecision decide_key(const std::optional<IdempotencyRecord>& stored,
                       std::string_view request_fingerprint, TimePoint now,
                       std::chrono::seconds abandoned_after) {
  if (!stored) return KeyDecision::run;
  if (stored->fingerprint != request_fingerprint) return KeyDecision::reused;
  if (stored->response) return KeyDecision::replay;
  if (stored->started_at + abandoned_after <= now) return KeyDecision::take_over;
  return KeyDecision::in_progress;
}

}  // namespace payment
