#pragma once

#include <exception>
#include <utility>
#include <variant>

namespace ticketing {

// A finished asynchronous operation, handed to its callback: the value it produced or the
// exception it ended with. get() returns the one or rethrows the other, so a callback handles
// failures with an ordinary try/catch.
template <class T>
class Completed {
 public:
  static Completed with(T value) { return Completed(std::move(value)); }
  static Completed failed(std::exception_ptr error) { return Completed(error); }

  T get() && {
    if (auto* error = std::get_if<std::exception_ptr>(&state_)) std::rethrow_exception(*error);
    return std::get<T>(std::move(state_));
  }

 private:
  explicit Completed(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  explicit Completed(std::exception_ptr error) : state_(std::in_place_index<1>, error) {}

  std::variant<T, std::exception_ptr> state_;
};

}  // namespace ticketing
