#include <catch2/catch.hpp>

#include "domain/idempotency.hpp"
#include "domain/points.hpp"
#include "domain/saga.hpp"

using namespace payment;
using namespace std::chrono_literals;

TEST_CASE("Charge amounts and the balance limit") {
  PointsPolicy policy{1000, 5000};
  CHECK(is_valid_charge(1, policy));
  CHECK(is_valid_charge(1000, policy));
  CHECK_FALSE(is_valid_charge(0, policy));
  CHECK_FALSE(is_valid_charge(1001, policy));
  CHECK(charge_fits(4000, 1000, policy));
  CHECK_FALSE(charge_fits(4001, 1000, policy));
  CHECK_FALSE(charge_fits(5000, INT64_MAX, policy));  // no overflow
}

TEST_CASE("Who may pay for a reservation") {
  ReservationView view{7, "alice", 150000, HoldState::held, std::nullopt};
  CHECK_FALSE(check_payable(view, "alice"));
  CHECK(check_payable(view, "bob") == PaymentError::reservation_not_found);
  view.state = HoldState::confirmed;
  CHECK(check_payable(view, "alice") == PaymentError::already_paid);
  view.state = HoldState::expired;
  CHECK(check_payable(view, "alice") == PaymentError::reservation_expired);
  view.state = HoldState::cancelled;
  CHECK(check_payable(view, "alice") == PaymentError::reservation_expired);
}

TEST_CASE("The concert service's answer decides the saga's last step") {
  CHECK(next_step(ConfirmAnswer::confirmed) == SagaStep::complete);
  CHECK(next_step(ConfirmAnswer::refused) == SagaStep::refund);
  CHECK(next_step(ConfirmAnswer::unreachable) == SagaStep::retry_later);
}

TEST_CASE("Idempotency keys: run, replay, in progress, reused, taken over") {
  const auto now = ticketing::Clock::now();
  const auto body = fingerprint(R"({"amount":100})");
  CHECK(fingerprint(R"({"amount":100})") == body);
  CHECK(fingerprint(R"({"amount":101})") != body);
  CHECK(decide_key(std::nullopt, body, now, 60s) == KeyDecision::run);

  IdempotencyRecord running{body, std::nullopt, now};
  CHECK(decide_key(running, body, now + 5s, 60s) == KeyDecision::in_progress);
  CHECK(decide_key(running, body, now + 60s, 60s) == KeyDecision::take_over);
  CHECK(decide_key(running, fingerprint("{}"), now, 60s) == KeyDecision::reused);

  IdempotencyRecord done{body, StoredResponse{200, "{}"}, now};
  CHECK(decide_key(done, body, now + 1h, 60s) == KeyDecision::replay);
}

TEST_CASE("Idempotency keys are 1 to 255 visible ASCII characters") {
  CHECK(is_valid_idempotency_key("a"));
  CHECK(is_valid_idempotency_key(std::string(255, 'k')));
  CHECK_FALSE(is_valid_idempotency_key(""));
  CHECK_FALSE(is_valid_idempotency_key(std::string(256, 'k')));
  CHECK_FALSE(is_valid_idempotency_key("has space"));
  CHECK_FALSE(is_valid_idempotency_key("tab\t"));
  CHECK_FALSE(is_valid_idempotency_key("\xc3\xa9"));
}
