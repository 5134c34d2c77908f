#pragma once

#include <memory>
#include <optional>
#include <string>

#include "concert_client.hpp"
#include "dates.hpp"
#include "payment_client.hpp"
#include "queue_api.hpp"
#include "queue_client.hpp"
#include "service_on_database.hpp"

namespace test_support {

// The queue's own settings in a Stack (QUEUE_CAPACITY is 100000 unless they say otherwise).
struct QueueSettings {
  Environment environment = {};
  // CONCERT_URL: the line asks the concert service whether seats are left, so it admits nobody
  // until a date has an AVAILABLE seat (product-spec.md, "Sale day"). Off by default: most tests
  // take visitors before, or without, any concert.
  bool asks_concert = false;
};

// The three services as real processes, each on its own throwaway database, wired together:
// what the gateway will put behind one port. Helpers throw on unexpected answers (safe on racing
// threads); they return the raw reply where the test asserts on it.
struct Stack {
  explicit Stack(Environment payment_settings = {}, Environment concert_settings = {},
                 QueueSettings queue_settings = {});

  // Restarts the payment service (after a crash at a fault point, with other settings).
  void restart_payment(Environment settings = {});

  // The typed clients straight to each service; the payment one follows its restarts, so the
  // Stack must outlive it.
  QueueClient queue_client() const;
  ConcertClient concert_client() const;
  PaymentClient payment_client() const;

  // A new visitor: a user and an ACTIVE token.
  IssuedToken visitor();
  // A concert on `date` (YYYY-MM-DD, today or later) at `price`; returns the date.
  std::string concert_on(const std::string& date, std::int64_t price);
  // POST .../points/charge and POST /api/v1/payments, with an Idempotency-Key unless it is "".
  Reply charge(const std::string& user_id, std::int64_t amount,
               const std::string& idempotency_key = {});
  Reply pay(const IssuedToken& visitor, std::int64_t reservation_id,
            const std::string& idempotency_key = {});
  // Holds a seat; returns the reservation id.
  std::int64_t hold(const std::string& user_id, const std::string& date, int seat_no);
  std::int64_t balance(const std::string& user_id);

  // The concert service starts first: the queue may be told where it is.
  ConcertService concert;
  QueueService queue;
  std::unique_ptr<PaymentService> payment;
  Environment payment_settings;
};

}  // namespace test_support
