#pragma once

#include <string_view>
#include <vector>

#include "known_users.hpp"
#include "ports/points_repository.hpp"

namespace payment {

// GET /users/{userId}/points/history: newest first, 1..100 entries.
class GetHistory {
 public:
  static constexpr int kMaxLimit = 100;
  GetHistory(KnownUsers& users, PointsRepository& points) : users_(users), points_(points) {}
  ticketing::Result<std::vector<LedgerEntry>, PaymentError> Execute(std::string_view user_id,
                                                                    int limit);

 private:
  KnownUsers& users_;
  PointsRepository& points_;
};

}  // namespace payment
