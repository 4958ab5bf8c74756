/** Reads of contacts, and deleting one. Each is atomic; see lua-common.ts for the helpers. */

/** ARGV: contact id. Removes score, activity, history index, journal and the contact's change-log entries. Returns 1 if it existed. */
export const DELETE_CONTACT_LUA = `
local contact = ARGV[1]
local existed = redis.call('ZREM', K_SCORES, contact)
redis.call('HDEL', K_CONTACTS, contact)
redis.call('ZREM', K_IDLE, contact)
redis.call('ZREM', K_EXPIRY, contact)
-- KEYS[11]: the profile's group index set (see groupIndexKey in keys.ts).
for _, name in ipairs(redis.call('SMEMBERS', KEYS[11])) do redis.call('ZREM', KEYS[11] .. ':' .. name, contact) end
local listed = history_list(contact)
local ids = {}
for _, seq in ipairs(redis.call('LRANGE', listed, 0, -1)) do ids[#ids + 1] = seq .. '-0' end
local min, max = history_range(contact)
for _, member in ipairs(redis.call('ZRANGEBYLEX', K_HISTORY, min, max)) do ids[#ids + 1] = stream_id(tonumber(string.sub(member, -16))) end
if #ids > 0 then
	call_chunked('XDEL', K_LOG, ids, 1)
	redis.call('UNLINK', listed)
	redis.call('ZREMRANGEBYLEX', K_HISTORY, min, max)
end
-- KEYS[12], KEYS[14]: the journal's entries and contact ids (see journalKeys in keys.ts).
redis.call('UNLINK', KEYS[12] .. ':' .. contact)
redis.call('ZREM', KEYS[14], contact)
return existed
`;

/** ARGV: contact id. Returns false, or { score, meta }. */
export const GET_CONTACT_LUA = `
local score = redis.call('ZSCORE', K_SCORES, ARGV[1])
if not score then return false end
return { score, redis.call('HGET', K_CONTACTS, ARGV[1]) }
`;

/**
 * ARGV: order (asc|desc), min, max (Redis score bounds: -inf/+inf, inclusive "10" or exclusive "(10"),
 * offset, limit, then the exclusive time bounds last activity after, last activity before, first
 * seen after, first seen before (epoch ms, or "" for none).
 * Returns a flat list: contact id, score, meta, contact id, ...
 *
 * Ties sort by contact id ascending in both orders. Redis's reverse range orders ties by id
 * descending, so a descending page walks from score to score, reading each score's contacts
 * with a forward range: a few O(log N) calls per distinct score on the page.
 *
 * With time bounds the same walk goes through the score range by rank, a page at a time, and keeps
 * the contacts whose times (in their meta) meet the bounds, until offset + limit of them are found:
 * all inside Redis, each page O(log N + page).
 *
 * With KEYS[11], a group's sorted set (contact id -> the group's subtotal), the walk ranks by it
 * instead: min and max bound the group's subtotal, ARGV[10] and ARGV[11] (Redis bounds, "" for
 * none) the total score, and the rows carry the total score.
 */
export const LIST_CONTACTS_LUA = `
local order, min, max, offset, limit = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local active_after, active_before, seen_after, seen_before = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
local RANKING = KEYS[11] or K_SCORES
local by_group = KEYS[11] ~= nil
local ids, scores = {}, {}
if limit <= 0 then return {} end

-- Whether a score (text) lies within a Redis bound pair ("-inf", "10" inclusive, "(10" exclusive, "" none).
local function within(score, low, high)
	local value = tonumber(score)
	if low ~= nil and low ~= '' and low ~= '-inf' then
		if string.sub(low, 1, 1) == '(' then
			if not (value > tonumber(string.sub(low, 2))) then return false end
		elseif not (value >= tonumber(low)) then return false end
	end
	if high ~= nil and high ~= '' and high ~= '+inf' then
		if string.sub(high, 1, 1) == '(' then
			if not (value < tonumber(string.sub(high, 2))) then return false end
		elseif not (value <= tonumber(high)) then return false end
	end
	return true
end

if by_group or active_after or active_before or seen_after or seen_before then
	local PAGE = 500
	-- meta: "v<version>,<last activity or empty>,<first seen>,<updated>" (older: without the version part).
	local function times_meet(meta)
		local parts = {}
		for part in string.gmatch(meta .. ',', '([^,]*),') do parts[#parts + 1] = part end
		if string.sub(parts[1], 1, 1) == 'v' then table.remove(parts, 1) end
		local active, seen = tonumber(parts[1]), tonumber(parts[2])
		if active_after and not (active and active > active_after) then return false end
		if active_before and not (active and active < active_before) then return false end
		if seen_after and not (seen and seen > seen_after) then return false end
		if seen_before and not (seen and seen < seen_before) then return false end
		return true
	end
	local rows, skipped = {}, 0
	-- Keeps the page's contacts whose times meet the bounds, skipping the first offset; true once limit are kept.
	local function keep(page_ids, page_scores)
		if #page_ids == 0 then return false end
		local metas = call_chunked('HMGET', K_CONTACTS, page_ids, 1)
		if by_group then page_scores = call_chunked('ZMSCORE', K_SCORES, page_ids, 1) end
		for index, id in ipairs(page_ids) do
			local meta = metas[index]
			if meta and page_scores[index] and times_meet(meta) and (not by_group or within(page_scores[index], ARGV[10], ARGV[11])) then
				if skipped < offset then
					skipped = skipped + 1
				else
					rows[#rows + 1] = id
					rows[#rows + 1] = page_scores[index]
					rows[#rows + 1] = meta
					if #rows >= limit * 3 then return true end
				end
			end
		end
		return false
	end
	-- Ranks of the contacts scored below a bound: the first rank inside "min", one past the last inside "max".
	local function rank_below(bound, inclusive)
		if bound == '-inf' then return 0 end
		if bound == '+inf' then return redis.call('ZCARD', RANKING) end
		if string.sub(bound, 1, 1) == '(' then
			return inclusive and redis.call('ZCOUNT', RANKING, '-inf', bound) or redis.call('ZCOUNT', RANKING, '-inf', string.sub(bound, 2))
		end
		return inclusive and redis.call('ZCOUNT', RANKING, '-inf', bound) or redis.call('ZCOUNT', RANKING, '-inf', '(' .. bound)
	end
	local first, stop = rank_below(min, false), rank_below(max, true) - 1
	-- Ranks first..last, a page at a time, in rank (score, then id) order; true once limit are kept.
	local function walk(from, to)
		while from <= to do
			local last = math.min(to, from + PAGE - 1)
			local page = redis.call('ZRANGE', RANKING, from, last, 'WITHSCORES')
			local page_ids, page_scores = {}, {}
			for index = 1, #page, 2 do
				page_ids[#page_ids + 1] = page[index]
				page_scores[#page_scores + 1] = page[index + 1]
			end
			if keep(page_ids, page_scores) then return true end
			from = last + 1
		end
		return false
	end
	if order == 'asc' then
		walk(first, stop)
	else
		-- Highest score first, each score's contacts by id ascending: its ranks, walked forwards.
		local top = stop
		while top >= first do
			local score = redis.call('ZRANGE', RANKING, top, top, 'WITHSCORES')[2]
			local bottom = math.max(first, redis.call('ZCOUNT', RANKING, '-inf', '(' .. score))
			if walk(bottom, top) then break end
			top = bottom - 1
		end
	end
	return rows
end

if order == 'asc' then
	local rows = redis.call('ZRANGEBYSCORE', K_SCORES, min, max, 'WITHSCORES', 'LIMIT', offset, limit)
	for index = 1, #rows, 2 do
		ids[#ids + 1] = rows[index]
		scores[#scores + 1] = rows[index + 1]
	end
else
	local first = redis.call('ZREVRANGEBYSCORE', K_SCORES, max, min, 'WITHSCORES', 'LIMIT', offset, 1)
	if #first == 0 then return {} end
	local score = first[2]
	local skip = offset - redis.call('ZCOUNT', K_SCORES, '(' .. score, max)
	while true do
		local tied = redis.call('ZRANGEBYSCORE', K_SCORES, score, score, 'LIMIT', skip, limit - #ids)
		for _, id in ipairs(tied) do
			ids[#ids + 1] = id
			scores[#scores + 1] = score
		end
		if #ids >= limit then break end
		local following = redis.call('ZREVRANGEBYSCORE', K_SCORES, '(' .. score, min, 'WITHSCORES', 'LIMIT', 0, 1)
		if #following == 0 then break end
		score = following[2]
		skip = 0
	end
end
local rows = {}
if #ids == 0 then return rows end
local metas = call_chunked('HMGET', K_CONTACTS, ids, 1)
for index, id in ipairs(ids) do
	rows[#rows + 1] = id
	rows[#rows + 1] = scores[index]
	rows[#rows + 1] = metas[index] or ''
end
return rows
`;

/**
 * ARGV: contact id, limit. Returns the contact's change-log entries, newest first, as XRANGE does:
 * its history list merged by seq with the history index older versions wrote (which a store
 * upgraded from one still holds, or one written by both versions during a rolling upgrade).
 */
export const HISTORY_LUA = `
local contact, limit = ARGV[1], tonumber(ARGV[2])
local listed = redis.call('LRANGE', history_list(contact), -limit, -1)
local min, max = history_range(contact)
local indexed = redis.call('ZREVRANGEBYLEX', K_HISTORY, max, min, 'LIMIT', 0, limit)
local entries = {}
local next_listed, next_indexed = #listed, 1
while #entries < limit do
	local from_list = listed[next_listed] and tonumber(listed[next_listed])
	local from_index = indexed[next_indexed] and tonumber(string.sub(indexed[next_indexed], -16))
	if not from_list and not from_index then break end
	local seq
	if from_index == nil or (from_list ~= nil and from_list > from_index) then
		seq, next_listed = from_list, next_listed - 1
	else
		seq, next_indexed = from_index, next_indexed + 1
	end
	local id = stream_id(seq)
	local found = redis.call('XRANGE', K_LOG, id, id)
	if found[1] then entries[#entries + 1] = found[1] end
end
return entries
`;
