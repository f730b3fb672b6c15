namespace Gateway.SenderIntelligence.Store;

/// <summary>
/// The Lua scripts behind every check: each reads what it needs with one HMGET per key, decides, and writes back
/// with one HSET per key, all in one atomic step and one round trip. They use only commands and Lua that Redis
/// (Lua 5.1) and Garnet (Lua 5.4, transaction mode: every key is passed in KEYS) run alike: numbers go back to the
/// caller as strings (Redis truncates Lua floats to integers), and time comes from the caller, so the edges'
/// clocks are the only clocks involved.
/// </summary>
/// <remarks>
/// An address's profile hash holds its standing (fs first seen, tier, ts tier since, tr tier reason, tn / tsp /
/// trc / tuk messages, spam, recipients and unknown recipients since the tier was entered, tf tier promoted from,
/// hb / hc / ha hour bucket, messages in it and moving hourly average), its totals (ls, cn, ms, rc, uk, sp, by,
/// pe, th), its reputation (s score, t time of last change) and its sliding-window counters (k connections, m
/// messages, b bytes, u unknown recipients, a recipients tried; each as bucket, count, previous count).
/// </remarks>
internal static class SenderScripts
{
    // Helpers shared by the scripts.
    //   num       a number as text, exactly
    //   decay     a reputation score decayed from its time t to now with the half-life
    //   addrep    decays the score of a reputation hash, adds delta, clamps, stores (3 commands)
    //   roll      a sliding-window counter brought to the current bucket: (count in it, count in the previous)
    //   estimate  the window's count: this bucket plus the part of the previous one still inside the window
    //   over      would adding exceed the limit (-1: unlimited)
    //   standing  the 11 standing fields of a profile, as returned to the caller
    private const string Helpers = """
        local unpack = unpack or table.unpack
        local function num(x) return string.format('%.17g', x) end
        local function decay(s, t, now, half)
          s = tonumber(s)
          if half <= 0 or not s then return 0 end
          t = tonumber(t) or now
          if now > t then s = s * 2 ^ (-(now - t) / half) end
          return s
        end
        local function clamp(x, lo, hi)
          if x < lo then return lo elseif x > hi then return hi end
          return x
        end
        local function addrep(key, delta, now, half, lo, hi, ttl)
          local v = redis.call('HMGET', key, 's', 't')
          local s = clamp(decay(v[1], v[2], now, half) + delta, lo, hi)
          redis.call('HSET', key, 's', num(s), 't', num(now))
          redis.call('PEXPIRE', key, ttl)
          return s
        end
        local function roll(b, c, p, bucket)
          b = tonumber(b)
          c = tonumber(c) or 0
          p = tonumber(p) or 0
          if b ~= bucket then
            if b == bucket - 1 then p = c else p = 0 end
            c = 0
          end
          return c, p
        end
        local function estimate(c, p, frac) return c + p * (1 - frac) end
        local function over(limit, current, adding) return limit >= 0 and current + adding > limit end
        local function n0(x) return tonumber(x) or 0 end
        local S = {'fs', 'tier', 'ts', 'tr', 'tn', 'tf', 'tsp', 'trc', 'tuk', 'hc', 'ha', 's', 't'}
        local function read(key, extra)
          local fields = {unpack(S)}
          for i = 1, #extra do fields[#fields + 1] = extra[i] end
          return redis.call('HMGET', key, unpack(fields))
        end
        local function standing(p)
          local r = {}
          for i = 1, 11 do r[i] = p[i] or '' end
          return r
        end
        local function answer(head, p)
          local st = standing(p)
          for i = 1, 11 do head[#head + 1] = st[i] end
          return head
        end

        """;

    /// <summary>
    /// Reads a standing. KEYS profile, network reputation (for a domain: the profile again). ARGV now, half-life.
    /// Returns {reputation, network reputation, standing fields...}.
    /// </summary>
    public const string Standing = Helpers + """
        local now, half = tonumber(ARGV[1]), tonumber(ARGV[2])
        local p = read(KEYS[1], {})
        local n = redis.call('HMGET', KEYS[2], 's', 't')
        return answer({num(decay(p[12], p[13], now, half)), num(decay(n[1], n[2], now, half))}, p)
        """;

    /// <summary>
    /// At connect. KEYS leases, profile, network reputation. ARGV 1 now, 2 lease expiry, 3 lease id, 4 lease ms,
    /// 5 concurrency limit, 6 connection limit, 7 window bucket, 8 window fraction, 9 profile ttl, 10 half-life
    /// (0: no reputation), 11 reject-at score or 'none', 12 network weight, 13 take a lease (1/0).
    /// Returns {status (0 ok, 1 reputation, 2 concurrency, 3 rate), live leases, connections in window,
    /// reputation, network reputation, standing fields...}.
    /// </summary>
    public const string Connect = Helpers + """
        local now, half = tonumber(ARGV[1]), tonumber(ARGV[10])
        local p = read(KEYS[2], {'cn', 'kb', 'kc', 'kp'})
        local n = redis.call('HMGET', KEYS[3], 's', 't')
        local rip, rnet = decay(p[12], p[13], now, half), decay(n[1], n[2], now, half)
        local status, live, rate = 0, 0, 0
        if ARGV[11] ~= 'none' and rip + tonumber(ARGV[12]) * rnet <= tonumber(ARGV[11]) then
          status = 1
        else
          local lease = ARGV[13] == '1'
          if lease then
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            live = redis.call('ZCARD', KEYS[1])
          end
          local bucket = tonumber(ARGV[7])
          local c, pr = roll(p[15], p[16], p[17], bucket)
          rate = estimate(c, pr, tonumber(ARGV[8]))
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
            rate = rate + 1
            if not p[1] then p[1] = ARGV[1] end
            redis.call('HSET', KEYS[2], 'fs', p[1], 'ls', ARGV[1], 'cn', n0(p[14]) + 1, 'kb', bucket, 'kc', c + 1,
              'kp', pr)
            redis.call('PEXPIRE', KEYS[2], ARGV[9])
          end
        end
        return answer({status, live, num(rate), num(rip), num(rnet)}, p)
        """;

    /// <summary>
    /// At MAIL. KEYS session, profile, domain profile. ARGV 1 now, 2 messages per connection, 3 messages per hour,
    /// 4 hour bucket, 5 hour fraction, 6 bytes per hour, 7 declared size, 8 session ttl, 9 profile ttl, 10 half-life,
    /// 11 reject-at or 'none', 12 address+network reputation, 13 domain weight, 14 has a domain (1/0).
    /// Returns {status (0 ok, 1 reputation, 2 per connection, 3 per hour, 4 bytes), session messages,
    /// messages in window, bytes in window, domain reputation, domain first seen}.
    /// </summary>
    public const string Mail = Helpers + """
        local now = tonumber(ARGV[1])
        local hasdom = ARGV[14] == '1'
        local d = {false, false, false}
        if hasdom then d = redis.call('HMGET', KEYS[3], 'fs', 's', 't') end
        local rdom = decay(d[2], d[3], now, tonumber(ARGV[10]))
        local sm = tonumber(redis.call('HGET', KEYS[1], 'm')) or 0
        local w = redis.call('HMGET', KEYS[2], 'mb', 'mc', 'mp', 'bb', 'bc', 'bp')
        local bucket, frac = tonumber(ARGV[4]), tonumber(ARGV[5])
        local mc, mp = roll(w[1], w[2], w[3], bucket)
        local bc, bp = roll(w[4], w[5], w[6], bucket)
        local mest, best = estimate(mc, mp, frac), estimate(bc, bp, frac)
        local status = 0
        if ARGV[11] ~= 'none' and tonumber(ARGV[12]) + tonumber(ARGV[13]) * rdom <= tonumber(ARGV[11]) then
          status = 1
        elseif over(tonumber(ARGV[2]), sm, 1) then
          status = 2
        elseif over(tonumber(ARGV[3]), mest, 1) then
          status = 3
        elseif over(tonumber(ARGV[6]), best, math.max(tonumber(ARGV[7]), 1)) then
          status = 4
        else
          sm = sm + 1
          mest = mest + 1
          redis.call('HSET', KEYS[1], 'm', sm, 'r', 0)
          redis.call('PEXPIRE', KEYS[1], ARGV[8])
          redis.call('HSET', KEYS[2], 'mb', bucket, 'mc', mc + 1, 'mp', mp, 'bb', bucket, 'bc', bc, 'bp', bp)
          redis.call('PEXPIRE', KEYS[2], ARGV[9])
          if hasdom then
            if not d[1] then d[1] = ARGV[1] end
            redis.call('HSET', KEYS[3], 'fs', d[1], 'ls', ARGV[1])
            redis.call('PEXPIRE', KEYS[3], ARGV[9])
          end
        end
        return {status, sm, num(mest), num(best), num(rdom), d[1] or ''}
        """;

    /// <summary>
    /// At RCPT. KEYS session, profile, network reputation, domain profile. ARGV 1 now, 2 recipients per message,
    /// 3 unknown recipient (1/0), 4 harvest bucket, 5 harvest fraction, 6 session ttl, 7 profile ttl, 8 half-life
    /// (0: no reputation), 9 reputation delta of an unknown recipient, 10 minimum, 11 maximum, 12 network
    /// reputation ttl, 13 has a domain (1/0).
    /// Returns {status (0 ok, 1 unknown counted, 2 over the limit), recipients in this transaction,
    /// unknown recipients in the harvest window, recipients tried in the harvest window}.
    /// </summary>
    public const string Rcpt = Helpers + """
        local now, half = tonumber(ARGV[1]), tonumber(ARGV[8])
        local w = redis.call('HMGET', KEYS[2], 'ub', 'uc', 'up', 'ab', 'ac', 'ap', 'uk', 'tuk', 's', 't')
        local bucket, frac = tonumber(ARGV[4]), tonumber(ARGV[5])
        local uc, up = roll(w[1], w[2], w[3], bucket)
        local ac, ap = roll(w[4], w[5], w[6], bucket)
        local r = tonumber(redis.call('HGET', KEYS[1], 'r')) or 0
        local status = 0
        if ARGV[3] == '1' then
          status = 1
          uc = uc + 1
          ac = ac + 1
          local f = {'ub', bucket, 'uc', uc, 'up', up, 'ab', bucket, 'ac', ac, 'ap', ap, 'uk', n0(w[7]) + 1,
            'tuk', n0(w[8]) + 1}
          if half > 0 then
            local d, lo, hi = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])
            f[#f + 1] = 's'
            f[#f + 1] = num(clamp(decay(w[9], w[10], now, half) + d, lo, hi))
            f[#f + 1] = 't'
            f[#f + 1] = num(now)
            addrep(KEYS[3], d, now, half, lo, hi, ARGV[12])
            if ARGV[13] == '1' then addrep(KEYS[4], d, now, half, lo, hi, ARGV[7]) end
          end
          redis.call('HSET', KEYS[2], unpack(f))
          redis.call('PEXPIRE', KEYS[2], ARGV[7])
        elseif over(tonumber(ARGV[2]), r, 1) then
          status = 2
        else
          r = r + 1
          ac = ac + 1
          redis.call('HSET', KEYS[1], 'r', r)
          redis.call('PEXPIRE', KEYS[1], ARGV[6])
          redis.call('HSET', KEYS[2], 'ub', bucket, 'uc', uc, 'up', up, 'ab', bucket, 'ac', ac, 'ap', ap)
          redis.call('PEXPIRE', KEYS[2], ARGV[7])
        end
        return {status, r, num(estimate(uc, up, frac)), num(estimate(ac, ap, frac))}
        """;

    /// <summary>
    /// At the end of DATA. KEYS profile, domain profile, network reputation. ARGV 1 now, 2 size, 3 recipients,
    /// 4 spam (1/0), 5 bytes per hour, 6 hour bucket, 7 hour fraction, 8 profile ttl, 9 half-life (0: no
    /// reputation), 10 reputation delta, 11 minimum, 12 maximum, 13 network reputation ttl, 14 has a domain,
    /// 15 hourly average weight, 16 enforce the byte limit (1/0).
    /// Returns {status (0 counted, 1 over the byte limit), bytes in window, reputation, network reputation,
    /// domain reputation, standing fields...}.
    /// </summary>
    public const string EndOfData = Helpers + """
        local now, size, rcpts = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        local bucket, half, a = tonumber(ARGV[6]), tonumber(ARGV[9]), tonumber(ARGV[15])
        local spam = ARGV[4] == '1'
        local sp1 = 0
        if spam then sp1 = 1 end
        local d, lo, hi = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
        local p = read(KEYS[1], {'ms', 'rc', 'by', 'sp', 'hb', 'bb', 'bc', 'bp'})
        local bc, bp = roll(p[19], p[20], p[21], bucket)
        local best = estimate(bc, bp, tonumber(ARGV[7]))
        if ARGV[16] == '1' and over(tonumber(ARGV[5]), best, size) then
          return {1, num(best)}
        end
        -- The moving hourly average takes in each finished hour (and the empty hours since).
        local function hour(hb, hc, ha)
          hb, hc, ha = tonumber(hb) or bucket, n0(hc), n0(ha)
          if bucket > hb then
            ha = (a * hc + (1 - a) * ha) * (1 - a) ^ (bucket - hb - 1)
            hc = 0
          end
          return math.max(bucket, hb), hc + 1, ha
        end
        local hb, hc, ha = hour(p[18], p[10], p[11])
        p[1] = p[1] or ARGV[1]
        p[5] = n0(p[5]) + 1
        p[7] = n0(p[7]) + sp1
        p[8] = n0(p[8]) + rcpts
        p[10] = hc
        p[11] = num(ha)
        local f = {'fs', p[1], 'ls', ARGV[1], 'ms', n0(p[14]) + 1, 'rc', n0(p[15]) + rcpts, 'by', n0(p[16]) + size,
          'sp', n0(p[17]) + sp1, 'hb', hb, 'hc', hc, 'ha', p[11], 'tn', p[5], 'tsp', p[7], 'trc', p[8],
          'bb', bucket, 'bc', bc + size, 'bp', bp}
        local rip, rnet, rdom = 0, 0, 0
        if half > 0 then
          rip = clamp(decay(p[12], p[13], now, half) + d, lo, hi)
          f[#f + 1] = 's'
          f[#f + 1] = num(rip)
          f[#f + 1] = 't'
          f[#f + 1] = num(now)
          rnet = addrep(KEYS[3], d, now, half, lo, hi, ARGV[13])
        end
        redis.call('HSET', KEYS[1], unpack(f))
        redis.call('PEXPIRE', KEYS[1], ARGV[8])
        if ARGV[14] == '1' then
          local q = redis.call('HMGET', KEYS[2], 'fs', 'ms', 'rc', 'by', 'sp', 'hb', 'hc', 'ha', 's', 't')
          local qb, qc, qa = hour(q[6], q[7], q[8])
          local g = {'fs', q[1] or ARGV[1], 'ls', ARGV[1], 'ms', n0(q[2]) + 1, 'rc', n0(q[3]) + rcpts,
            'by', n0(q[4]) + size, 'sp', n0(q[5]) + sp1, 'hb', qb, 'hc', qc, 'ha', num(qa)}
          if half > 0 then
            rdom = clamp(decay(q[9], q[10], now, half) + d, lo, hi)
            g[#g + 1] = 's'
            g[#g + 1] = num(rdom)
            g[#g + 1] = 't'
            g[#g + 1] = num(now)
          end
          redis.call('HSET', KEYS[2], unpack(g))
          redis.call('PEXPIRE', KEYS[2], ARGV[8])
        end
        return answer({0, num(best + size), num(rip), num(rnet), num(rdom)}, p)
        """;

    /// <summary>
    /// An outcome, and the end of a session. KEYS profile, network reputation, domain profile, leases, session.
    /// ARGV 1 now, 2 count, 3 profile counter field ('' for none), 4 tier counter field ('' for none), 5 half-life,
    /// 6 delta per outcome, 7 minimum, 8 maximum, 9 network reputation ttl, 10 profile ttl, 11 has a domain,
    /// 12 lease id to release ('' for none), 13 forget the session (1/0).
    /// Returns {} when the count is 0 (nothing recorded), else {reputation, network reputation, domain reputation,
    /// standing fields...}.
    /// </summary>
    public const string Outcome = Helpers + """
        if ARGV[12] ~= '' then redis.call('ZREM', KEYS[4], ARGV[12]) end
        if ARGV[13] == '1' then redis.call('DEL', KEYS[5]) end
        local n = tonumber(ARGV[2])
        if n <= 0 then return {} end
        local now, half = tonumber(ARGV[1]), tonumber(ARGV[5])
        local d, lo, hi = n * tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
        local fa, fb = ARGV[3], ARGV[4]
        local p = read(KEYS[1], {fa ~= '' and fa or 'pe', fb ~= '' and fb or 'pe'})
        local f = {}
        if fa ~= '' then
          f[#f + 1] = fa
          f[#f + 1] = n0(p[14]) + n
        end
        if fb ~= '' then
          f[#f + 1] = fb
          f[#f + 1] = n0(p[15]) + n
          if fb == 'tsp' then p[7] = n0(p[7]) + n elseif fb == 'tuk' then p[9] = n0(p[9]) + n end
        end
        local rip, rnet, rdom = 0, 0, 0
        if half > 0 then
          rip = decay(p[12], p[13], now, half)
          if d ~= 0 then
            rip = clamp(rip + d, lo, hi)
            f[#f + 1] = 's'
            f[#f + 1] = num(rip)
            f[#f + 1] = 't'
            f[#f + 1] = num(now)
            rnet = addrep(KEYS[2], d, now, half, lo, hi, ARGV[9])
          else
            local v = redis.call('HMGET', KEYS[2], 's', 't')
            rnet = decay(v[1], v[2], now, half)
          end
        end
        if #f > 0 then
          redis.call('HSET', KEYS[1], unpack(f))
          redis.call('PEXPIRE', KEYS[1], ARGV[10])
        end
        if ARGV[11] == '1' then
          local q = redis.call('HMGET', KEYS[3], fa ~= '' and fa or 'pe', 's', 't')
          local g = {}
          if fa ~= '' then
            g[#g + 1] = fa
            g[#g + 1] = n0(q[1]) + n
          end
          if half > 0 then
            rdom = decay(q[2], q[3], now, half)
            if d ~= 0 then
              rdom = clamp(rdom + d, lo, hi)
              g[#g + 1] = 's'
              g[#g + 1] = num(rdom)
              g[#g + 1] = 't'
              g[#g + 1] = num(now)
            end
          end
          if #g > 0 then
            redis.call('HSET', KEYS[3], unpack(g))
            redis.call('PEXPIRE', KEYS[3], ARGV[10])
          end
        end
        return answer({num(rip), num(rnet), num(rdom)}, p)
        """;

    /// <summary>
    /// Moves a profile's tier if it still is the expected one (two nodes may decide the same change at once; only
    /// one records it). KEYS profile, history. ARGV 1 expected tier, 2 new tier, 3 now, 4 reason, 5 history entry,
    /// 6 history length, 7 profile ttl, 8 tier promoted from ('' for none), 9 tier of a profile with none.
    /// Returns 1 when moved, 0 when the tier had changed meanwhile.
    /// </summary>
    public const string Transition = """
        local cur = redis.call('HMGET', KEYS[1], 'tier', 'fs')
        if (tonumber(cur[1]) or tonumber(ARGV[9])) ~= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'tier', ARGV[2], 'ts', ARGV[3], 'tr', ARGV[4], 'tn', 0, 'tsp', 0, 'trc', 0,
          'tuk', 0, 'tf', ARGV[8], 'fs', cur[2] or ARGV[3])
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
    /// Forgets a subject. KEYS overrides hash, history, then the keys to delete (profile, network reputation).
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
