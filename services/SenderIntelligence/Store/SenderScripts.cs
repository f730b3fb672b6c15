namespace Gateway.SenderIntelligence.Store;

/// <summary>
/// The Lua scripts behind every check: each reads and updates all it needs in one atomic step and one round trip.
/// They use only commands and Lua that Redis (Lua 5.1) and Garnet (Lua 5.4, transaction mode: every key is passed
/// in KEYS) run alike: numbers go back to the caller as strings (Redis truncates Lua floats to integers), and
/// time comes from the caller, so the edges' clocks are the only clocks involved.
/// </summary>
internal static class SenderScripts
{
    // Helpers shared by the scripts.
    //   num       a number as text, exactly
    //   decayed   a reputation score (hash fields s: score, t: time in ms) decayed to now with the half-life
    //   addrep    decays, adds delta, clamps, stores
    //   window    a sliding-window counter in hash fields <f>b (bucket), <f>c (this bucket), <f>p (previous
    //             bucket); estimate weighs the previous bucket by the part of it still inside the window
    //   over      would adding exceed the limit (-1: unlimited)
    private const string Helpers = """
        local function num(x) return string.format('%.17g', x) end
        local function decayed(key, now, half)
          if half <= 0 then return 0 end
          local v = redis.call('HMGET', key, 's', 't')
          local s = tonumber(v[1])
          if not s then return 0 end
          local t = tonumber(v[2]) or now
          if now > t then s = s * 2 ^ (-(now - t) / half) end
          return s
        end
        local function addrep(key, delta, now, half, lo, hi, ttl)
          local s = decayed(key, now, half) + delta
          if s < lo then s = lo elseif s > hi then s = hi end
          redis.call('HSET', key, 's', num(s), 't', num(now))
          redis.call('PEXPIRE', key, ttl)
          return s
        end
        local function window(key, f, bucket)
          local v = redis.call('HMGET', key, f .. 'b', f .. 'c', f .. 'p')
          local b = tonumber(v[1])
          local c = tonumber(v[2]) or 0
          local p = tonumber(v[3]) or 0
          if b ~= bucket then
            if b == bucket - 1 then p = c else p = 0 end
            c = 0
          end
          return c, p
        end
        local function estimate(c, p, frac) return c + p * (1 - frac) end
        local function over(limit, current, adding) return limit >= 0 and current + adding > limit end
        local function standing(key)
          local p = redis.call('HMGET', key, 'fs', 'tier', 'ts', 'tr', 'tn', 'tf', 'tsp', 'trc', 'tuk', 'hc', 'ha')
          for i = 1, 11 do p[i] = p[i] or '' end
          return p
        end

        """;

    /// <summary>
    /// Reads a standing: KEYS profile, reputation, network reputation (may repeat the former); ARGV now, half-life.
    /// Returns {reputation, network reputation, standing fields...}.
    /// </summary>
    public const string Standing = Helpers + """
        local now = tonumber(ARGV[1])
        local half = tonumber(ARGV[2])
        local p = standing(KEYS[1])
        return {num(decayed(KEYS[2], now, half)), num(decayed(KEYS[3], now, half)),
          p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11]}
        """;

    /// <summary>
    /// At connect. KEYS leases, counters, profile, reputation, network reputation. ARGV 1 now, 2 lease expiry,
    /// 3 lease id, 4 lease ms, 5 concurrency limit, 6 connection limit, 7 window bucket, 8 window fraction,
    /// 9 counters ttl, 10 profile ttl, 11 half-life (0: no reputation), 12 reject-at score or 'none',
    /// 13 network weight, 14 take a lease (1/0).
    /// Returns {status (0 ok, 1 reputation, 2 concurrency, 3 rate), live leases, connections in window,
    /// reputation, network reputation, standing fields...}.
    /// </summary>
    public const string Connect = Helpers + """
        local now = tonumber(ARGV[1])
        local half = tonumber(ARGV[11])
        local rip = decayed(KEYS[4], now, half)
        local rnet = decayed(KEYS[5], now, half)
        local status, live, rate = 0, 0, 0
        if ARGV[12] ~= 'none' and rip + tonumber(ARGV[13]) * rnet <= tonumber(ARGV[12]) then
          status = 1
        else
          local lease = ARGV[14] == '1'
          if lease then
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            live = redis.call('ZCARD', KEYS[1])
          end
          local bucket = tonumber(ARGV[7])
          local c, p = window(KEYS[2], 'k', bucket)
          rate = estimate(c, p, tonumber(ARGV[8]))
          if lease and over(tonumber(ARGV[5]), live, 1) then
            status = 2
          elseif over(tonumber(ARGV[6]), rate, 1) then
            status = 3
          else
            if lease then
              redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
              redis.call('PEXPIRE', KEYS[1], ARGV[4])
              live = live + 1
            end
            redis.call('HSET', KEYS[2], 'kb', bucket, 'kc', c + 1, 'kp', p)
            redis.call('PEXPIRE', KEYS[2], ARGV[9])
            rate = rate + 1
            redis.call('HSETNX', KEYS[3], 'fs', ARGV[1])
            redis.call('HSET', KEYS[3], 'ls', ARGV[1])
            redis.call('HINCRBY', KEYS[3], 'cn', 1)
            redis.call('PEXPIRE', KEYS[3], ARGV[10])
          end
        end
        local p = standing(KEYS[3])
        return {status, live, num(rate), num(rip), num(rnet),
          p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11]}
        """;

    /// <summary>
    /// At MAIL. KEYS session, counters, domain profile, domain reputation. ARGV 1 now, 2 messages per connection,
    /// 3 messages per hour, 4 hour bucket, 5 hour fraction, 6 bytes per hour, 7 declared size, 8 session ttl,
    /// 9 counters ttl, 10 profile ttl, 11 half-life, 12 reject-at or 'none', 13 address+network reputation,
    /// 14 domain weight, 15 has a domain (1/0).
    /// Returns {status (0 ok, 1 reputation, 2 per connection, 3 per hour, 4 bytes), session messages,
    /// messages in window, bytes in window, domain reputation, domain first seen}.
    /// </summary>
    public const string Mail = Helpers + """
        local now = tonumber(ARGV[1])
        local hasdom = ARGV[15] == '1'
        local rdom = 0
        if hasdom then rdom = decayed(KEYS[4], now, tonumber(ARGV[11])) end
        local sm = tonumber(redis.call('HGET', KEYS[1], 'm')) or 0
        local bucket = tonumber(ARGV[4])
        local frac = tonumber(ARGV[5])
        local mc, mp = window(KEYS[2], 'm', bucket)
        local bc, bp = window(KEYS[2], 'b', bucket)
        local mest = estimate(mc, mp, frac)
        local best = estimate(bc, bp, frac)
        local size = math.max(tonumber(ARGV[7]), 1)
        local status = 0
        if ARGV[12] ~= 'none' and tonumber(ARGV[13]) + tonumber(ARGV[14]) * rdom <= tonumber(ARGV[12]) then
          status = 1
        elseif over(tonumber(ARGV[2]), sm, 1) then
          status = 2
        elseif over(tonumber(ARGV[3]), mest, 1) then
          status = 3
        elseif over(tonumber(ARGV[6]), best, size) then
          status = 4
        else
          sm = sm + 1
          mest = mest + 1
          redis.call('HSET', KEYS[1], 'm', sm, 'r', 0)
          redis.call('PEXPIRE', KEYS[1], ARGV[8])
          redis.call('HSET', KEYS[2], 'mb', bucket, 'mc', mc + 1, 'mp', mp, 'bb', bucket, 'bc', bc, 'bp', bp)
          redis.call('PEXPIRE', KEYS[2], ARGV[9])
          if hasdom then
            redis.call('HSETNX', KEYS[3], 'fs', ARGV[1])
            redis.call('HSET', KEYS[3], 'ls', ARGV[1])
            redis.call('PEXPIRE', KEYS[3], ARGV[10])
          end
        end
        local fs = ''
        if hasdom then fs = redis.call('HGET', KEYS[3], 'fs') or '' end
        return {status, sm, num(mest), num(best), num(rdom), fs}
        """;

    /// <summary>
    /// At RCPT. KEYS session, counters, profile, reputation, network reputation, domain reputation. ARGV 1 now,
    /// 2 recipients per message, 3 unknown recipient (1/0), 4 harvest bucket, 5 harvest fraction, 6 session ttl,
    /// 7 counters ttl, 8 profile ttl, 9 half-life (0: no reputation), 10 reputation delta of an unknown recipient,
    /// 11 minimum, 12 maximum, 13 reputation ttl, 14 has a domain (1/0).
    /// Returns {status (0 ok, 1 unknown counted, 2 over the limit), recipients in this transaction,
    /// unknown recipients in the harvest window, recipients tried in the harvest window}.
    /// </summary>
    public const string Rcpt = Helpers + """
        local bucket = tonumber(ARGV[4])
        local frac = tonumber(ARGV[5])
        local uc, up = window(KEYS[2], 'u', bucket)
        local ac, ap = window(KEYS[2], 'a', bucket)
        local r = tonumber(redis.call('HGET', KEYS[1], 'r')) or 0
        local status = 0
        if ARGV[3] == '1' then
          status = 1
          uc = uc + 1
          ac = ac + 1
          redis.call('HINCRBY', KEYS[3], 'uk', 1)
          redis.call('HINCRBY', KEYS[3], 'tuk', 1)
          redis.call('PEXPIRE', KEYS[3], ARGV[8])
          local now, half = tonumber(ARGV[1]), tonumber(ARGV[9])
          if half > 0 then
            local d, lo, hi, ttl = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12]), ARGV[13]
            addrep(KEYS[4], d, now, half, lo, hi, ttl)
            addrep(KEYS[5], d, now, half, lo, hi, ttl)
            if ARGV[14] == '1' then addrep(KEYS[6], d, now, half, lo, hi, ttl) end
          end
        elseif over(tonumber(ARGV[2]), r, 1) then
          status = 2
        else
          r = r + 1
          ac = ac + 1
          redis.call('HSET', KEYS[1], 'r', r)
          redis.call('PEXPIRE', KEYS[1], ARGV[6])
        end
        redis.call('HSET', KEYS[2], 'ub', bucket, 'uc', uc, 'up', up, 'ab', bucket, 'ac', ac, 'ap', ap)
        redis.call('PEXPIRE', KEYS[2], ARGV[7])
        return {status, r, num(estimate(uc, up, frac)), num(estimate(ac, ap, frac))}
        """;

    /// <summary>
    /// At the end of DATA. KEYS counters, profile, domain profile, reputation, network reputation, domain
    /// reputation. ARGV 1 now, 2 size, 3 recipients, 4 spam (1/0), 5 bytes per hour, 6 hour bucket, 7 hour
    /// fraction, 8 counters ttl, 9 profile ttl, 10 half-life (0: no reputation), 11 reputation delta,
    /// 12 minimum, 13 maximum, 14 reputation ttl, 15 has a domain, 16 hourly average weight, 17 enforce the byte
    /// limit (1/0).
    /// Returns {status (0 counted, 1 over the byte limit), bytes in window, reputation, network reputation,
    /// domain reputation, standing fields...}.
    /// </summary>
    public const string EndOfData = Helpers + """
        local now = tonumber(ARGV[1])
        local size = tonumber(ARGV[2])
        local bucket = tonumber(ARGV[6])
        local bc, bp = window(KEYS[1], 'b', bucket)
        local best = estimate(bc, bp, tonumber(ARGV[7]))
        if ARGV[17] == '1' and over(tonumber(ARGV[5]), best, size) then
          return {1, num(best)}
        end
        redis.call('HSET', KEYS[1], 'bb', bucket, 'bc', bc + size, 'bp', bp)
        redis.call('PEXPIRE', KEYS[1], ARGV[8])
        local spam = ARGV[4] == '1'
        local a = tonumber(ARGV[16])
        local function count(key, tiers)
          redis.call('HSETNX', key, 'fs', ARGV[1])
          redis.call('HSET', key, 'ls', ARGV[1])
          redis.call('HINCRBY', key, 'ms', 1)
          redis.call('HINCRBY', key, 'rc', ARGV[3])
          redis.call('HINCRBY', key, 'by', ARGV[2])
          if spam then redis.call('HINCRBY', key, 'sp', 1) end
          local h = redis.call('HMGET', key, 'hb', 'hc', 'ha')
          local hb = tonumber(h[1]) or bucket
          local hc = tonumber(h[2]) or 0
          local ha = tonumber(h[3]) or 0
          if bucket > hb then
            ha = (a * hc + (1 - a) * ha) * (1 - a) ^ (bucket - hb - 1)
            hc = 0
          end
          redis.call('HSET', key, 'hb', math.max(bucket, hb), 'hc', hc + 1, 'ha', num(ha))
          if tiers then
            redis.call('HINCRBY', key, 'tn', 1)
            redis.call('HINCRBY', key, 'trc', ARGV[3])
            if spam then redis.call('HINCRBY', key, 'tsp', 1) end
          end
          redis.call('PEXPIRE', key, ARGV[9])
        end
        count(KEYS[2], true)
        local hasdom = ARGV[15] == '1'
        if hasdom then count(KEYS[3], false) end
        local half = tonumber(ARGV[10])
        local rip, rnet, rdom = 0, 0, 0
        if half > 0 then
          local d, lo, hi, ttl = tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13]), ARGV[14]
          rip = addrep(KEYS[4], d, now, half, lo, hi, ttl)
          rnet = addrep(KEYS[5], d, now, half, lo, hi, ttl)
          if hasdom then rdom = addrep(KEYS[6], d, now, half, lo, hi, ttl) end
        end
        local p = standing(KEYS[2])
        return {0, num(best + size), num(rip), num(rnet), num(rdom),
          p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11]}
        """;

    /// <summary>
    /// An outcome (also the protocol errors of a closing session). KEYS profile, reputation, network reputation,
    /// domain reputation, domain profile, leases, session. ARGV 1 now, 2 count, 3 profile counter field ('' for
    /// none), 4 tier counter field ('' for none), 5 half-life, 6 delta per outcome, 7 minimum, 8 maximum,
    /// 9 reputation ttl, 10 profile ttl, 11 has a domain, 12 lease id to release ('' for none),
    /// 13 forget the session (1/0).
    /// Returns {reputation, network reputation, domain reputation, standing fields...}.
    /// </summary>
    public const string Outcome = Helpers + """
        if ARGV[12] ~= '' then redis.call('ZREM', KEYS[6], ARGV[12]) end
        if ARGV[13] == '1' then redis.call('DEL', KEYS[7]) end
        local now = tonumber(ARGV[1])
        local n = tonumber(ARGV[2])
        local hasdom = ARGV[11] == '1'
        if n > 0 and ARGV[3] ~= '' then
          redis.call('HINCRBY', KEYS[1], ARGV[3], n)
          if ARGV[4] ~= '' then redis.call('HINCRBY', KEYS[1], ARGV[4], n) end
          redis.call('PEXPIRE', KEYS[1], ARGV[10])
          if hasdom then
            redis.call('HINCRBY', KEYS[5], ARGV[3], n)
            redis.call('PEXPIRE', KEYS[5], ARGV[10])
          end
        end
        local half = tonumber(ARGV[5])
        local rip, rnet, rdom = 0, 0, 0
        if half > 0 then
          local d, lo, hi, ttl = n * tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9]
          if n > 0 and d ~= 0 then
            rip = addrep(KEYS[2], d, now, half, lo, hi, ttl)
            rnet = addrep(KEYS[3], d, now, half, lo, hi, ttl)
            if hasdom then rdom = addrep(KEYS[4], d, now, half, lo, hi, ttl) end
          else
            rip = decayed(KEYS[2], now, half)
            rnet = decayed(KEYS[3], now, half)
            if hasdom then rdom = decayed(KEYS[4], now, half) end
          end
        end
        local p = standing(KEYS[1])
        return {num(rip), num(rnet), num(rdom), p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11]}
        """;

    /// <summary>
    /// Moves a profile's tier if it still is the expected one (two nodes may decide the same change at once; only
    /// one records it). KEYS profile, history. ARGV 1 expected tier, 2 new tier, 3 now, 4 reason, 5 history entry,
    /// 6 history length, 7 profile ttl, 8 tier promoted from ('' for none), 9 tier of a profile with none.
    /// Returns 1 when moved, 0 when the tier had changed meanwhile.
    /// </summary>
    public const string Transition = """
        local cur = tonumber(redis.call('HGET', KEYS[1], 'tier')) or tonumber(ARGV[9])
        if cur ~= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'tier', ARGV[2], 'ts', ARGV[3], 'tr', ARGV[4], 'tn', 0, 'tsp', 0, 'trc', 0,
          'tuk', 0, 'tf', ARGV[8])
        redis.call('HSETNX', KEYS[1], 'fs', ARGV[3])
        redis.call('PEXPIRE', KEYS[1], ARGV[7])
        redis.call('LPUSH', KEYS[2], ARGV[5])
        redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[6]) - 1)
        redis.call('PEXPIRE', KEYS[2], ARGV[7])
        return 1
        """;

    /// <summary>
    /// Sets or removes an administrator decision and records it. KEYS overrides hash, history. ARGV 1 field,
    /// 2 value ('' removes), 3 history entry, 4 history length, 5 history ttl, 6 expected current value
    /// ('*' for any). Returns 1 when done, 0 when the current value was not the expected one.
    /// </summary>
    public const string Override = """
        if ARGV[6] ~= '*' and (redis.call('HGET', KEYS[1], ARGV[1]) or '') ~= ARGV[6] then return 0 end
        if ARGV[2] == '' then
          redis.call('HDEL', KEYS[1], ARGV[1])
        else
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        end
        redis.call('LPUSH', KEYS[2], ARGV[3])
        redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[4]) - 1)
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        return 1
        """;

    /// <summary>
    /// Forgets a subject. KEYS overrides hash, history, then the keys to delete (profile, reputation, counters).
    /// ARGV 1 field, 2 history entry, 3 history length, 4 history ttl.
    /// </summary>
    public const string Reset = """
        redis.call('HDEL', KEYS[1], ARGV[1])
        for i = 3, #KEYS do redis.call('DEL', KEYS[i]) end
        redis.call('LPUSH', KEYS[2], ARGV[2])
        redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[3]) - 1)
        redis.call('PEXPIRE', KEYS[2], ARGV[4])
        return 1
        """;
}
