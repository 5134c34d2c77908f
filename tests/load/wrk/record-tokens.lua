-- Issues tokens like issue.lua and appends "userId token" to PREFIX.<thread number> for every
-- answer 201 whose token is ACTIVE (or, with the argument "any", whatever its status).
-- Usage: wrk ... -s record-tokens.lua URL -- PREFIX [any]
-- Slower than issue.lua (a Lua call per response), so it only prepares data for other runs.
wrk.method = "POST"
wrk.path = "/api/v1/queue/tokens"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"

local out, any_status
function init(args)
  local prefix = args[1] or error("record-tokens.lua needs an output prefix after --")
  any_status = args[2] == "any"
  out = assert(io.open(prefix .. "." .. thread_number, "w"))
  out:setvbuf("line")  -- wrk never closes a thread's Lua state, so nothing may stay buffered
end

function response(status, headers, body)
  if status ~= 201 then return bench_count("not 201") end
  local token = body:match('"token"%s*:%s*"([^"]+)"')
  local user = body:match('"userId"%s*:%s*"([^"]+)"')
  local state = body:match('"status"%s*:%s*"(%u+)"')
  if token and user and (any_status or state == "ACTIVE") then
    out:write(user, " ", token, "\n")
    bench_count("recorded")
  else
    bench_count("skipped " .. tostring(state))
  end
end
