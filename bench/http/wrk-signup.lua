-- wrk script for the saturation phase (bench/http/load.cjs with BENCH_LOADER=wrk): POSTs the
-- signup bodies load.cjs wrote to a file, one per line, cycling from a random start, and prints
-- one machine-readable line when done.
--   wrk -t1 -c16 -d8s -s wrk-signup.lua <url> -- <bodies file> <seed>
local bodies = {}
local count = 0
local nextIndex = 0
local headers = {
  ["Content-Type"] = "application/json",
  ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) bench",
}

function init(args)
  local f = assert(io.open(args[1], "rb"))
  for line in f:lines() do
    count = count + 1
    bodies[count] = line
  end
  f:close()
  math.randomseed(tonumber(args[2]) or os.time())
  nextIndex = math.random(0, count - 1)
end

function request()
  local body = bodies[(nextIndex % count) + 1]
  nextIndex = nextIndex + 1
  return wrk.format("POST", "/signup", headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
