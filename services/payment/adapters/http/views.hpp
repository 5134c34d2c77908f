#pragma once

#include <string>
#include <vector>

#include "domain/payment.hpp"

namespace payment::http {

// JSON bodies of the payment API, exactly as the product spec names their fields.
std::string balance_json(std::string_view user_id, std::int64_t balance);
std::string history_json(const std::vector<LedgerEntry>& entries);
// {"paymentId","reservationId","userId","amount","status","paidAt"}
std::string payment_json(const Payment& payment);
std::string payments_json(const std::vector<Payment>& payments);

}  // namespace payment::http
