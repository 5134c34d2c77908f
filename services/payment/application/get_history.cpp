#include "get_history.hpp"

#include <algorithm>

namespace payment {

ticketing::Result<std::vector<LedgerEntry>, PaymentError> GetHistory::Execute(
    std::string_view user_id, int limit) {
  if (auto known = users_.check(user_id); !known) return ticketing::fail(known.error());
  return points_.history(user_id, std::clamp(limit, 1, kMaxLimit));
}

}  // namespace payment
