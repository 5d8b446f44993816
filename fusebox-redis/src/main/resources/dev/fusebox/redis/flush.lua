-- fusebox-redis: one instance's flush of one breaker; see FlushScript.java for the arguments and the reply.
--
-- Merges the instance's counts into the fleet's window, moves the fleet's state (CLOSED 0, OPEN 1,
-- HALF_OPEN 2, numbered by an epoch), accounts and grants half-open trial leases, and returns the state:
-- every flush is also a poll. All times are Redis TIME in milliseconds, so instances' clocks never matter.
--
-- KEYS: 1 state (hash), 2 window buckets (hash), 3 instance records (hash), 4 leases (hash), 5 last seen (zset)
--
-- Called with two keys, it is an instance's heartbeat instead (see below).

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- Heartbeat, once per instance per period. KEYS: 1 members (hash: instance id -> "run,lastSeenMs,mode"),
-- 2 the fleet's overrides (hash, see fleet.lua). ARGV: id, run, ttlMs, twinMs, mode, the overrides epoch
-- the instance knows, channel, then the override entries it carries back (field, value, ...), sent only
-- after a heartbeat found fewer than it knows. Returns { other run seen under the same id within twinMs
-- or '', now, the overrides epoch, the live members in SHARED mode (seen within two twin periods; ids
-- sorted, one per line: every instance picks the same one to probe a breaker for the fleet), then every
-- override field and value when that epoch is not the one the instance knows or it carried entries back }. Two processes that share an id overwrite each other's
-- member entry every period, so each sees the other's within two periods.
if #KEYS == 2 then
  local hid, hrun = ARGV[1], ARGV[2]
  local prev = redis.call('HGET', KEYS[1], hid)
  local twin = ''
  if prev then
    local prun, pseen = string.match(prev, '^([^,]*),(%d+)')
    if prun and prun ~= hrun and now - tonumber(pseen) <= tonumber(ARGV[4]) then
      twin = prun
    end
  end
  redis.call('HSET', KEYS[1], hid, hrun .. ',' .. now .. ',' .. ARGV[5])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
  -- Carried back: an entry Redis lacks, or holds at an older epoch (a tombstone included), is the newer truth.
  local known = tonumber(ARGV[6])
  local epoch = tonumber(redis.call('HGET', KEYS[2], 'epoch') or '0')
  local carried = #ARGV > 7
  if carried then
    local wrote = false
    for i = 8, #ARGV, 2 do
      local mine = tonumber(string.match(ARGV[i + 1], '^(%d+),'))
      local theirs = redis.call('HGET', KEYS[2], ARGV[i])
      if not theirs or tonumber(string.match(theirs, '^(%d+),')) < mine then
        redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
        wrote = true
      end
    end
    if known > epoch then
      epoch = known
      redis.call('HSET', KEYS[2], 'epoch', epoch)
    end
    if wrote then
      redis.call('PUBLISH', ARGV[7], 'fleet ' .. epoch)
    end
  end
  local live = {}
  local everyone = redis.call('HGETALL', KEYS[1])
  local liveMs = 2 * tonumber(ARGV[4])
  for i = 1, #everyone, 2 do
    local seen, mode = string.match(everyone[i + 1], '^[^,]*,(%d+),?(.*)$')
    if seen and now - tonumber(seen) <= liveMs and mode ~= 'DEGRADED' then
      live[#live + 1] = everyone[i]
    end
  end
  table.sort(live)
  local out = { twin, now, epoch, table.concat(live, '\n') }
  if epoch > 0 then
    redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[3]))
  end
  if carried or epoch ~= known then
    local all = redis.call('HGETALL', KEYS[2])
    for i = 1, #all do
      out[#out + 1] = all[i]
    end
  end
  return out
end

local id = ARGV[1]
local run = ARGV[2]
local seq = tonumber(ARGV[3])
local calls = tonumber(ARGV[4])
local fails = tonumber(ARGV[5])
local slows = tonumber(ARGV[6])
local recent = ARGV[7] == '1'
local knownEpoch = tonumber(ARGV[8])
local leasesGot = tonumber(ARGV[9])
local trialsDone = tonumber(ARGV[10])
local trialsFailed = tonumber(ARGV[11])
local trialsSlow = tonumber(ARGV[12])
local leasesBack = tonumber(ARGV[13])
local want = tonumber(ARGV[14])
local rnd = tonumber(ARGV[15])
local spanMs = tonumber(ARGV[16])
local bucketMs = tonumber(ARGV[17])
local windowSize = tonumber(ARGV[18])
local minCalls = tonumber(ARGV[19])
local failThreshold = tonumber(ARGV[20])
local slowThreshold = tonumber(ARGV[21])
local waitMs = tonumber(ARGV[22])
local multiplier = tonumber(ARGV[23])
local maxWaitMs = tonumber(ARGV[24])
local jitter = tonumber(ARGV[25])
local permitted = tonumber(ARGV[26])
local halfOpenMaxMs = tonumber(ARGV[27])
local rampMs = tonumber(ARGV[28])
local leaseMs = tonumber(ARGV[29])
local staleMs = tonumber(ARGV[30])
local ttlMs = tonumber(ARGV[31])
local fingerprint = ARGV[32]
local channel = ARGV[33]
local name = ARGV[34]
-- Records, leases and last-seen entries belong to one process run of an instance, so that two processes
-- given the same id both count instead of overwriting each other. Runs never contain '/'.
local who = id .. '/' .. run
-- The instance's own view of the fleet state, from the replies it applied: state (-1 when it has none),
-- epoch, remaining open time by its clock, backoff level. A Redis without the state, or with an older
-- epoch, takes it from there (see restore).
local viewState = tonumber(ARGV[35])
local viewEpoch = tonumber(ARGV[36])
local viewRemainingMs = tonumber(ARGV[37])
local viewLevel = tonumber(ARGV[38])
local settleMs = tonumber(ARGV[39])
-- The sequence number of the instance's last flush whose reply it received: its record said at least that.
local ackedSeq = tonumber(ARGV[40])
-- The breaker's state on the instance (CLOSED, OPEN, FORCED_OPEN, ...), kept in its record for
-- FleetControl.states; absent from instances of an earlier version.
local localState = ARGV[41] or ''

local function split(s)
  local out = {}
  for v in string.gmatch(s, '[^,]+') do
    out[#out + 1] = v
  end
  return out
end

-- The fleet's state. A missing hash is a new breaker or a Redis that lost its data: it starts CLOSED at
-- epoch 0, below every epoch an instance may remember, so that the first instance with a view restores it.
local s = redis.call('HMGET', KEYS[1], 'st', 'ep', 'until', 'lvl', 'since', 'tn', 'tf', 'ts', 'rec', 'cfg', 'cfgBy',
  'hold')
local fresh = 0
local st, ep, untilMs, lvl, since, tn, tf, ts, recovered, hold
if s[1] then
  st = tonumber(s[1]); ep = tonumber(s[2]); untilMs = tonumber(s[3]); lvl = tonumber(s[4])
  since = tonumber(s[5]); tn = tonumber(s[6]); tf = tonumber(s[7]); ts = tonumber(s[8]); recovered = tonumber(s[9])
  hold = tonumber(s[12] or '0')
else
  fresh = 1
  st = 0; ep = 0; untilMs = 0; lvl = 0; since = now; tn = 0; tf = 0; ts = 0; recovered = 0; hold = 0
end
local changed = false

-- Restore. Epochs only grow, so a fleet state older than an instance's view is one Redis lost (restarted
-- empty, flushed, expired, or a replica promoted with older data): the instance's view is newer truth.
-- Protection never falls to CLOSED that way: an opening keeps its remaining time (capped by the longest
-- wait the configuration allows), a half-open stay keeps its epoch, so the leases instances hold stay
-- valid and are counted again as they report them (see the lease records below); no new lease is granted
-- until every instance had time to report (settleMs).
local restored = 0
if viewState >= 0 and ep < viewEpoch then
  restored = 1
  st = viewState; ep = viewEpoch; lvl = viewLevel; since = now; untilMs = 0
  tn = 0; tf = 0; ts = 0; recovered = 0; hold = now + settleMs
  if st == 1 then
    local cap = math.floor(math.max(waitMs, maxWaitMs) * (1 + jitter))
    untilMs = now + math.max(0, math.min(viewRemainingMs, cap))
  end
  redis.call('DEL', KEYS[2], KEYS[4])
  changed = true
end
local wasClosed = st == 0

-- Epochs grow with every transition and never fall behind Redis time, so the states of a Redis that
-- restarted empty are numbered after every state an instance may remember from before.
local function nextEpoch()
  return math.max(ep + 1, now)
end

-- Counts. The instance sends cumulative totals; its record holds the totals already merged, so a retried
-- or replayed flush (same or older sequence number) adds nothing. Counts are merged only while fresh:
-- the instance says whether it stayed in contact with Redis since its last flush of the breaker (an idle
-- breaker skips flushes, so the record's age says nothing); after a break, or into a Redis that lost the
-- record, the totals become the new base.
local dc, df, ds = 0, 0, 0
local dup = false
local rolledBack = false
local rec = redis.call('HGET', KEYS[3], who)
if rec then
  local r = split(rec)
  -- A record older than a flush the instance was answered for: Redis came back with older data (an RDB,
  -- a promoted replica). Its totals are no base for a difference.
  rolledBack = tonumber(r[2]) < ackedSeq
  if seq <= tonumber(r[2]) then
    dup = true
  elseif recent and not rolledBack then
    dc = math.max(0, calls - tonumber(r[3]))
    df = math.max(0, fails - tonumber(r[4]))
    ds = math.max(0, slows - tonumber(r[5]))
  end
elseif seq == 1 and recent then
  dc, df, ds = calls, fails, slows
end
-- Redis lost data when it has no state, or no record of an instance that flushed before.
local lost = fresh
if ((not rec) and seq > 1) or rolledBack then
  lost = 1
end
if not dup then
  redis.call('HSET', KEYS[3], who,
    run .. ',' .. seq .. ',' .. calls .. ',' .. fails .. ',' .. slows .. ',' .. now .. ',' .. localState)
  redis.call('ZADD', KEYS[5], now, who)
end
df = math.min(df, dc)
ds = math.min(ds, dc)

-- Configuration fingerprint: the first instance's wins until it is gone; any other is reported.
local theirs = ''
if not s[10] then
  redis.call('HSET', KEYS[1], 'cfg', fingerprint, 'cfgBy', who)
elseif s[10] ~= fingerprint then
  local ownerSeen = redis.call('ZSCORE', KEYS[5], s[11])
  if (not ownerSeen) or now - tonumber(ownerSeen) > 10 * staleMs then
    redis.call('HSET', KEYS[1], 'cfg', fingerprint, 'cfgBy', who)
  else
    -- Reported by instance id: strip the run.
    theirs = string.match(s[11], '^(.*)/[^/]*$') .. ' ' .. s[10]
  end
end

local function open(level)
  local wait = waitMs
  if level > 1 and multiplier > 1 then
    wait = math.min(maxWaitMs, waitMs * multiplier ^ (level - 1))
  end
  if jitter > 0 then
    wait = wait * (1 + jitter * (2 * rnd - 1))
  end
  wait = math.max(1, math.floor(wait))
  st = 1; ep = nextEpoch(); untilMs = now + wait; lvl = level; since = now
  tn = 0; tf = 0; ts = 0; recovered = 0
  redis.call('DEL', KEYS[2], KEYS[4])
  changed = true
end

local function close()
  st = 0; ep = nextEpoch(); since = now; recovered = 1
  if rampMs == 0 then
    lvl = 0
  end
  tn = 0; tf = 0; ts = 0
  redis.call('DEL', KEYS[2], KEYS[4])
  changed = true
end

local function reaches(part, total, threshold)
  return threshold > 0 and part * 100 >= threshold * total
end

-- A health probe on the instance found the dependency back during this very opening (ARGV[42], its
-- epoch): the opening ends now, and this flush moves the fleet to HALF_OPEN, where leases bound the trials.
local probedEpoch = tonumber(ARGV[42] or '0')
if st == 1 and probedEpoch > 0 and probedEpoch == ep and now < untilMs then
  untilMs = now
end

-- OPEN ends by Redis time; the first flush after it moves the fleet to HALF_OPEN.
if st == 1 and now >= untilMs then
  st = 2; ep = nextEpoch(); since = now; tn = 0; tf = 0; ts = 0
  redis.call('DEL', KEYS[4])
  changed = true
end

local granted = 0
if st == 2 then
  if halfOpenMaxMs > 0 and now - since >= halfOpenMaxMs then
    open(lvl + 1)
  else
    -- Leases, per instance: gr granted, out outstanding, fin/ff/fs trials reported, ret given back, exp.
    local all = redis.call('HGETALL', KEYS[4])
    local leases = {}
    for i = 1, #all, 2 do
      local v = split(all[i + 1])
      leases[all[i]] = { tonumber(v[1]), tonumber(v[2]), tonumber(v[3]), tonumber(v[4]), tonumber(v[5]),
        tonumber(v[6]), tonumber(v[7]) }
    end
    local ownIsNew = leases[who] == nil
    local own = leases[who] or { 0, 0, 0, 0, 0, 0, 0 }
    leases[who] = own
    if (not dup) and knownEpoch == ep and ownIsNew and leasesGot > 0 then
      -- Leases of this epoch Redis has no record of: it lost them. Take the instance's word for what it
      -- holds, so that its outstanding trials count against the permitted ones and its finished ones
      -- (reported just below) count in the tally.
      own[1] = leasesGot; own[2] = math.max(0, leasesGot - leasesBack); own[6] = leasesBack
      own[7] = now + leaseMs
    end
    if (not dup) and knownEpoch == ep then
      -- Grants whose reply never arrived are taken back; reports count only against outstanding leases,
      -- so a trial that was already counted as expired cannot count twice.
      if leasesGot < own[1] then
        own[2] = math.max(0, own[2] - (own[1] - leasesGot))
        own[1] = leasesGot
      end
      local done = math.min(math.max(0, trialsDone - own[3]), own[2])
      local failed = math.min(math.max(0, trialsFailed - own[4]), done)
      local slow = math.min(math.max(0, trialsSlow - own[5]), done)
      tn = tn + done; tf = tf + failed; ts = ts + slow
      own[2] = own[2] - done
      own[3] = trialsDone; own[4] = trialsFailed; own[5] = trialsSlow
      own[2] = own[2] - math.min(math.max(0, leasesBack - own[6]), own[2])
      own[6] = leasesBack
    end
    -- A lease not reported within leaseMs is a trial that never returned: it counts as failed.
    local outstanding = 0
    for _, l in pairs(leases) do
      if l[2] > 0 and now >= l[7] then
        tn = tn + l[2]; tf = tf + l[2]; l[2] = 0
      end
      outstanding = outstanding + l[2]
    end
    if (not dup) and want > 0 and now >= hold then
      granted = math.max(0, math.min(want, permitted - tn - outstanding))
      if granted > 0 then
        if own[2] == 0 then
          own[7] = now + leaseMs
        end
        own[2] = own[2] + granted
        own[1] = own[1] + granted
      end
    end
    if tn >= permitted then
      granted = 0
      if reaches(tf, tn, failThreshold) or reaches(ts, tn, slowThreshold) then
        open(lvl + 1)
      else
        close()
      end
    else
      local flat = {}
      for k, l in pairs(leases) do
        if l[1] > 0 or not (ownIsNew and k == who) then
          flat[#flat + 1] = k
          flat[#flat + 1] = table.concat(l, ',')
        end
      end
      if #flat > 0 then
        redis.call('HSET', KEYS[4], unpack(flat))
      end
    end
  end
end

-- CLOSED: merge the counts into the bucket of now, then evaluate the fleet's window. Counts that arrive
-- while the fleet is not closed (trials, calls admitted before an opening) belong to no window. The
-- window's sums go back in the reply too (what dashboards show as the fleet's rates), so they are summed
-- on every flush of a closed fleet; only new counts can open it.
local fc, ff, fs = -1, -1, -1
if wasClosed and st == 0 then
  if dc > 0 then
    local bucket = math.floor(now / bucketMs)
    redis.call('HINCRBY', KEYS[2], bucket .. ':c', dc)
    if df > 0 then
      redis.call('HINCRBY', KEYS[2], bucket .. ':f', df)
    end
    if ds > 0 then
      redis.call('HINCRBY', KEYS[2], bucket .. ':s', ds)
    end
  end
  local oldest = math.floor((now - spanMs) / bucketMs) + 1
  local all = redis.call('HGETALL', KEYS[2])
  local buckets, order, dead = {}, {}, {}
  for i = 1, #all, 2 do
    local field = all[i]
    local sep = string.find(field, ':', 1, true)
    local b = tonumber(string.sub(field, 1, sep - 1))
    if b < oldest then
      dead[#dead + 1] = field
    else
      local e = buckets[b]
      if not e then
        e = { 0, 0, 0 }
        buckets[b] = e
        order[#order + 1] = b
      end
      local kind = string.sub(field, sep + 1)
      local v = tonumber(all[i + 1])
      if kind == 'c' then e[1] = v elseif kind == 'f' then e[2] = v else e[3] = v end
    end
  end
  if #dead > 0 then
    redis.call('HDEL', KEYS[2], unpack(dead))
  end
  -- Newest first; a count-based window stops at windowSize calls (whole buckets).
  table.sort(order, function(a, b) return a > b end)
  local c, f, sl = 0, 0, 0
  for _, b in ipairs(order) do
    local e = buckets[b]
    c = c + e[1]; f = f + e[2]; sl = sl + e[3]
    if windowSize > 0 and c >= windowSize then
      break
    end
  end
  fc, ff, fs = c, f, sl
  if dc > 0 and c > 0 and c >= minCalls and (reaches(f, c, failThreshold) or reaches(sl, c, slowThreshold)) then
    local base = 0
    if recovered == 1 and now - since < rampMs then
      base = lvl
    end
    open(base + 1)
    fc, ff, fs = 0, 0, 0
  end
elseif st ~= 0 then
  -- An open or half-open fleet has no window: it was cleared at the opening.
  fc, ff, fs = 0, 0, 0
end

redis.call('HSET', KEYS[1], 'st', st, 'ep', ep, 'until', untilMs, 'lvl', lvl, 'since', since,
  'tn', tn, 'tf', tf, 'ts', ts, 'rec', recovered, 'hold', hold)
local ttl = ttlMs
if st == 1 then
  ttl = ttl + (untilMs - now)
end
for i = 1, 5 do
  redis.call('PEXPIRE', KEYS[i], ttl)
end

-- Instances not seen for ttlMs are forgotten, a few per flush.
local gone = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', now - ttlMs, 'LIMIT', 0, 16)
if #gone > 0 then
  redis.call('HDEL', KEYS[3], unpack(gone))
  redis.call('ZREM', KEYS[5], unpack(gone))
end

local remaining = 0
if st == 1 then
  remaining = untilMs - now
end
if changed then
  redis.call('PUBLISH', channel, st .. ' ' .. ep .. ' ' .. remaining .. ' ' .. name)
end

local dupFlag = 0
if dup then
  dupFlag = 1
end
return { st, ep, remaining, now - since, recovered, granted, lvl, lost, dupFlag, theirs, restored, fc, ff, fs }
