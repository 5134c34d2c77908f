-- Charge: POST /api/v1/users/{userId}/points/charge {"amount":1}, the users round-robin from a
-- file of "userId token" lines (no token needed: a user route), so concurrent charges rarely
-- wait for one balance's row lock. Usage: wrk ... -s charge.lua URL -- USERS_FILE
-- Requests are built once in init; each thread starts at a different place in the list.
local requests = {}
local next_index = 0

function init(args)
  local file = args[1] or error("charge.lua needs a users file after --")
  local headers = { ["Content-Type"] = "application/json" }
  for line in io.lines(file) do
    local user = line:match("^(%S+)")
    if user then
      requests[#requests + 1] = wrk.format("POST", "/api/v1/users/" .. user .. "/points/charge",
        headers, '{"amount":1}')
    end
  end
  if #requests == 0 then error("no users in " .. file) end
  next_index = (thread_number - 1) * math.floor(#requests / 2) % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
