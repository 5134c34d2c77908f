#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

// Pearson's chi-square test that every token is equally likely at every place, for the tests of
// the opening's draw. counts[token][place] over `rounds` draws of n tokens.

namespace queue::testing {

// The regularised upper incomplete gamma function Q(a, x): the series below a + 1, Lentz's
// continued fraction above (both converge fast there).
inline double upper_gamma_q(double a, double x) {
  if (x <= 0) return 1.0;
  const double log_prefix = a * std::log(x) - x - std::lgamma(a);
  if (x < a + 1) {
    double term = 1.0 / a, sum = term;
    for (int n = 1; n < 10'000 && std::fabs(term) > std::fabs(sum) * 1e-15; ++n) {
      term *= x / (a + n);
      sum += term;
    }
    return 1.0 - sum * std::exp(log_prefix);
  }
  const double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 10'000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1) < 1e-15) break;
  }
  return h * std::exp(log_prefix);
}

struct ChiSquare {
  double statistic = 0;
  int degrees_of_freedom = 0;
  double p_value = 1;
};

// Every cell expects rounds / n; the rows and columns each sum to `rounds`, so the table has
// (n - 1)^2 degrees of freedom.
inline ChiSquare uniformity(const std::vector<std::vector<std::int64_t>>& counts,
                            std::int64_t rounds) {
  const auto n = counts.size();
  if (n < 2) throw std::invalid_argument("at least two tokens");
  const double expected = static_cast<double>(rounds) / static_cast<double>(n);
  ChiSquare result;
  for (const auto& row : counts) {
    for (auto observed : row) {
      const double gap = static_cast<double>(observed) - expected;
      result.statistic += gap * gap / expected;
    }
  }
  result.degrees_of_freedom = static_cast<int>((n - 1) * (n - 1));
  result.p_value = upper_gamma_q(result.degrees_of_freedom / 2.0, result.statistic / 2.0);
  return result;
}

}  // namespace queue::testing
