-- Token issue: POST /api/v1/queue/tokens with an empty JSON object, which mints a new user
-- and a new token on every request. Static request: no per-request Lua work.
wrk.method = "POST"
wrk.path = "/api/v1/queue/tokens"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
