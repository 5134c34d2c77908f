-- GET of the URL wrk is given, nothing else: the nginx limits (a constant, a proxied constant).
-- Static request: no per-request Lua work.
wrk.method = "GET"
