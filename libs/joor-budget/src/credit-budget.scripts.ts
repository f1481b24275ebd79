/**
 * The Lua scripts behind `RedisCreditBudget`: every decision reads and writes one account's
 * state in a single atomic step, on Redis's clock (`TIME`), so every process sees one window.
 *
 * State hash (KEYS[1]): ws = our window start, used = credits granted in it, freeze = no grant
 * from here (a later one might reach JOOR after its window ends), resume = a new window may open
 * from here (JOOR's window surely ended), blocked = a 429 said wait until here.
 * Waiters (KEYS[2]): sorted set of `<rank>:<credits>:<id>`, score = expiry of the registration.
 *
 * `now` is Redis's `TIME` unless the caller passes a time of its own as the last argument (an
 * injected clock, for tests; see README.md): production passes '' and runs on Redis's clock.
 */

function now(arg: number): string {
  return `
local now = tonumber(ARGV[${arg}] or '')
if not now then
  if redis.replicate_commands then pcall(redis.replicate_commands) end
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;
}

const LOAD_STATE = `
local s = redis.call('HMGET', KEYS[1], 'ws', 'used', 'freeze', 'resume', 'blocked', 'wl')
local ws = tonumber(s[1]) or 0
local used = tonumber(s[2]) or 0
local freeze = tonumber(s[3]) or 0
local resume = tonumber(s[4]) or 0
local blocked = tonumber(s[5]) or 0
local savedWindowMs = tonumber(s[6]) or 0
-- A state kept under another window length (the settings changed) says nothing about this one.
local function forgetIfWindowChanged(windowMs)
  if savedWindowMs ~= 0 and savedWindowMs ~= windowMs then
    ws, used, freeze, resume, blocked = 0, 0, 0, 0, 0
  end
end
-- keepMs is always the window length, so it is also what the state was kept under.
local function save(keepMs)
  redis.call('HSET', KEYS[1], 'ws', ws, 'used', used, 'freeze', freeze, 'resume', resume, 'blocked', blocked, 'wl', keepMs)
  local last = math.max(resume, blocked)
  redis.call('PEXPIRE', KEYS[1], math.max(last - now, 0) + keepMs)
end
`;

/**
 * ARGV: credits, rank, waiter id, cap, windowMs, marginMs, reserveReleaseMs, reserve credits of
 * this rank, maxSleepMs, waiter ttl ms, now ('' = Redis's TIME).
 * Returns {granted 1|0, wait ms, reason, used after, window start (when granted)}.
 */
export const ACQUIRE_SCRIPT = `${now(11)}${LOAD_STATE}
local credits = tonumber(ARGV[1])
local rank = tonumber(ARGV[2])
local member = ARGV[2] .. ':' .. ARGV[1] .. ':' .. ARGV[3]
local cap = tonumber(ARGV[4])
local windowMs = tonumber(ARGV[5])
local marginMs = tonumber(ARGV[6])
local releaseMs = tonumber(ARGV[7])
local reserve = tonumber(ARGV[8])
local maxSleep = tonumber(ARGV[9])
local ttl = tonumber(ARGV[10])
forgetIfWindowChanged(windowMs)

redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)

local function wait(ms, reason)
  ms = math.max(1, math.min(math.ceil(ms), maxSleep))
  redis.call('ZADD', KEYS[2], now + ms + ttl, member)
  redis.call('PEXPIRE', KEYS[2], ms + ttl + windowMs)
  return {0, ms, reason, used}
end

if now < blocked then return wait(blocked - now, 'blocked') end
if now >= resume then
  -- JOOR's previous window is surely over: this grant opens the next one, as JOOR's first request will.
  ws = now
  used = 0
  freeze = now + windowMs - marginMs
  resume = now + windowMs + marginMs
  save(windowMs)
elseif now >= freeze then
  return wait(resume - now, 'window-closing')
end

local avail = cap - used
-- The reserve shrinks from full to nothing between freeze - releaseMs and freeze - releaseMs / 5,
-- so a waiter that wakes a little late still finds the last credits free before the freeze.
local releaseEnd = freeze - math.floor(releaseMs / 5)
local span = releaseMs - math.floor(releaseMs / 5)
local held = 0
if reserve > 0 then
  local left = releaseEnd - now
  if span <= 0 then held = reserve
  elseif left <= 0 then held = 0
  elseif left >= span then held = reserve
  else held = math.floor(reserve * left / span) end
end
local higher = 0
for _, m in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  local r, c = string.match(m, '^(%d+):(%d+):')
  if r and tonumber(r) < rank then higher = higher + tonumber(c) end
end

if credits + math.max(held, higher) <= avail then
  used = used + credits
  redis.call('HSET', KEYS[1], 'used', used)
  redis.call('ZREM', KEYS[2], member)
  return {1, 0, 'granted', used, ws}
end

if credits + higher <= avail and span > 0 then
  -- Only this priority's reserve stands in the way: wake when enough of it is released.
  local wake = releaseEnd - span * (avail - credits + 1) / reserve + 1
  if wake < freeze then return wait(math.max(wake - now, 1), 'reserve') end
end
-- Credits never come back within a window: what waiting higher priorities leave is not enough.
return wait(resume - now, 'exhausted')
`;

/**
 * ARGV: remaining ('' unknown), resetInMs ('' unknown), limited 1|0, creditsPerWindow, cap,
 * windowMs, marginMs, resetPrecisionMs, now ('' = Redis's TIME).
 * Returns {action, used, resume, blocked} (times relative to now).
 */
export const OBSERVE_SCRIPT = `${now(9)}${LOAD_STATE}
local remaining = tonumber(ARGV[1])
local resetIn = tonumber(ARGV[2])
local limited = ARGV[3] == '1'
local limit = tonumber(ARGV[4])
local cap = tonumber(ARGV[5])
local windowMs = tonumber(ARGV[6])
local marginMs = tonumber(ARGV[7])
local precision = tonumber(ARGV[8])
forgetIfWindowChanged(windowMs)
local open = now < resume
local action = 'ignored'

local function reply()
  return {action, used, resume - now, blocked - now}
end

if limited then
  -- Without a reset, JOOR's window may have just begun: wait a whole one out.
  local untilMs = now + (resetIn or windowMs) + precision
  blocked = math.max(blocked, untilMs)
  resume = blocked
  if not open then ws = now end
  freeze = now
  used = cap
  action = 'blocked'
  save(windowMs)
  return reply()
end

local joorUsed = remaining and (limit - remaining) or nil
if not resetIn then
  if open and joorUsed and joorUsed > used then
    used = joorUsed
    action = 'used'
    save(windowMs)
  end
  return reply()
end

local e = now + resetIn
local slack = marginMs + precision
local function adopt()
  ws = e - windowMs
  freeze = e - precision - 2 * marginMs
  resume = e + precision
  used = joorUsed or 0
  action = 'adopted'
  save(windowMs)
end
if open then
  if e <= ws + slack then return reply() end -- a late answer about the previous window
  if e >= ws + 2 * windowMs - slack then
    -- JOOR's next window is already running (a late request, or another caller, opened it): it is ours now.
    adopt()
    return reply()
  end
  if e < ws + windowMs - slack or e > resume + precision then
    -- JOOR's window is not where we placed it (another caller started it, or a request was lost):
    -- take JOOR's end as the truth.
    if e < ws + windowMs - slack then freeze = math.min(freeze, e - precision - 2 * marginMs)
    else freeze = math.max(freeze, e - precision - 2 * marginMs) end
    resume = e + precision
    action = 'realigned'
  else
    if e + precision < resume then resume = math.max(e + precision, freeze) end
    action = 'aligned'
  end
  if joorUsed and joorUsed > used then used = joorUsed end
  save(windowMs)
  return reply()
end

-- A window we did not open (another caller on the account): adopt it.
if resetIn > slack then adopt() end
return reply()
`;
