-- wrk script for bench/admission.sh: every request posts a complete registration of a different
-- child (each wrk thread counts in its own range of indexes); a receipt is a 200 answer carrying
-- a tracking code. Arguments after `--`: plan form path, school id, zone (URL-encoded), host,
-- and a run number (each run registers other children: a child registers only once).
-- Prints one JSON line: receipts, refused, seconds, per second, p50/p99 latency, socket errors.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  path, school, zone, host = args[1], args[2], args[3], args[4]
  index = tonumber(args[5] or "0") * 10000000 + id * 1000000
  -- Optional: the pause (ms) each connection (a parent) takes before its next form; with c
  -- connections the offered rate is at most c * 1000 / pause per second. 0: back to back.
  pause = tonumber(args[6] or "0")
  receipts, refused = 0, 0
end

function delay()
  if pause > 0 then
    -- spread the connections' starts and keep them from marching in step
    return math.random(math.floor(pause / 2), pause + math.floor(pause / 2))
  end
  return 0
end

function request()
  index = index + 1
  local body = "pupilName=Nguy%E1%BB%85n+V%C4%83n+T%E1%BA%A3i"
    .. "&birthDate=" .. string.format("%02d/%02d/2012", 1 + index % 28, 1 + index % 12)
    .. "&gender=Nam&birthPlace=Ninh+B%C3%ACnh&address=S%E1%BB%91+" .. index .. "+%C4%91%C6%B0%E1%BB%9Dng+Tr%E1%BA%A7n+H%C6%B0ng+%C4%90%E1%BA%A1o"
    .. "&zone=" .. zone .. "&parentName=Nguy%E1%BB%85n+V%C4%83n+Ph%E1%BB%A5"
    .. "&parentPhone=09" .. string.format("%08d", 12000000 + index)
    .. "&parentEmail=&choice1=" .. school .. "&consent=on"
  return wrk.format("POST", path, { ["Host"] = host, ["Content-Type"] = "application/x-www-form-urlencoded" }, body)
end

function response(status, headers, body)
  if status == 200 and string.find(body, 'tracking%-code">TS%-') then
    receipts = receipts + 1
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local r, f = 0, 0
  for _, t in ipairs(threads) do
    r = r + t:get("receipts")
    f = f + t:get("refused")
  end
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format('{"receipts": %d, "refused": %d, "seconds": %.2f, "per_second": %.1f, "p50_ms": %.1f, "p99_ms": %.1f, "errors": %d}\n',
    r, f, seconds, r / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
