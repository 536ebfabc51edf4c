-- wrk: each request carries the next session cookie of the file named by COOKIES (one
-- "name=value" per line), so one run is many users, not one.
local cookies = {}
for line in io.lines(os.getenv("COOKIES")) do cookies[#cookies + 1] = line end
local i = 0
request = function()
  i = i % #cookies + 1
  return wrk.format("GET", nil, { ["Cookie"] = cookies[i] })
end
