// Payment service over HTTP: written by the payment API tests.
