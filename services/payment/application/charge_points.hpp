#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "clock.hpp"
#include "known_users.hpp"
#include "ports/payment_repository.hpp"
#include "ports/points_repository.hpp"

namespace payment {

// GET /users/{userId}/points
class GetBalance {
 public:
  GetBalance(KnownUsers& users, PointsRepository& points) : users_(users), points_(points) {}
  ticketing::Result<std::int64_t, PaymentError> Execute(std::string_view user_id);

 private:
  KnownUsers& users_;
  PointsRepository& points_;
};

// POST /users/{userId}/points/charge: amount 1..max_charge; the balance never passes
// max_balance; concurrent charges are never lost; one Idempotency-Key (empty: none) charges once.
class ChargePoints {
 public:
  ChargePoints(KnownUsers& users, PointsRepository& points, PointsPolicy policy, ClockFn clock,
               FaultPoint fault = no_faults())
      : users_(users),
        points_(points),
        policy_(policy),
        clock_(std::move(clock)),
        fault_(std::move(fault)) {}
  ticketing::Result<std::int64_t, PaymentError> Execute(std::string_view user_id,
                                                        std::int64_t amount,
                                                        std::string_view idempotency_key = {});

 private:
  KnownUsers& users_;
  PointsRepository& points_;
  PointsPolicy policy_;
  ClockFn clock_;
  FaultPoint fault_;
};

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

// GET /users/{userId}/payments: COMPLETED payments, newest first.
class ListPayments {
 public:
  ListPayments(KnownUsers& users, PaymentRepository& payments)
      : users_(users), payments_(payments) {}
  ticketing::Result<std::vector<Payment>, PaymentError> Execute(std::string_view user_id);

 private:
  KnownUsers& users_;
  PaymentRepository& payments_;
};

// GET /payments/{paymentId}: only its payer sees it.
class GetPayment {
 public:
  explicit GetPayment(PaymentRepository& payments) : payments_(payments) {}
  ticketing::Result<Payment, PaymentError> Execute(std::string_view user_id,
                                                   std::string_view payment_id);

 private:
  PaymentRepository& payments_;
};

}  // namespace payment
