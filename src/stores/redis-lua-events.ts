/**
 * Applies a batch of evaluated events: version check, dedupe, score, activity and change log in
 * one atomic step. The rules were evaluated in JS; this only applies their deltas.
 *
 * ARGV[1] published version the deltas were computed with, ARGV[2] event-id retention in ms,
 * ARGV[3] JSON list of [eventId or false, contactId, delta, occurredAt, cause JSON].
 * Returns one entry per event joined by ";": "d,<score>" for a duplicate, else
 * "<previous>,<score>,<seq or empty>".
 *
 * All reads happen up front with multi-key commands (ZMSCORE, HMGET) and contacts are written
 * once per batch with variadic commands, so per event only the stream entry costs a call.
 */
export const APPLY_EVENTS_LUA = `
local profile = redis.call('HMGET', K_PROFILE, 'status', 'version')
if not profile[1] then return not_found() end
if profile[1] ~= 'published' or tonumber(profile[2]) ~= tonumber(ARGV[1]) then
	return redis.error_reply('ES_PROFILE_NOT_PUBLISHED')
end
local events = cjson.decode(ARGV[3])
local now = now_ms()
redis.call('ZREMRANGEBYSCORE', K_SEEN, '-inf', now)

local event_ids, contact_ids, contacts = {}, {}, {}
for _, event in ipairs(events) do
	if event[1] then event_ids[#event_ids + 1] = event[1] end
	if contacts[event[2]] == nil then
		contacts[event[2]] = false
		contact_ids[#contact_ids + 1] = event[2]
	end
end

local seen = {}
if #event_ids > 0 then
	local expiries = call_chunked('ZMSCORE', K_SEEN, event_ids, 1)
	for index, id in ipairs(event_ids) do
		if expiries[index] then seen[id] = true end
	end
end
local scores = call_chunked('ZMSCORE', K_SCORES, contact_ids, 1)
local metas = call_chunked('HMGET', K_CONTACTS, contact_ids, 1)
for index, id in ipairs(contact_ids) do
	if scores[index] then
		contacts[id] = { score = tonumber(scores[index]), meta = read_meta(metas[index]) }
	else
		contacts[id] = {}
	end
end

local seq = tonumber(redis.call('GET', K_SEQ) or '0')
local first_seq = seq
local expiry = num(now + tonumber(ARGV[2]))
local new_ids, history, results = {}, {}, {}
for index, event in ipairs(events) do
	local event_id, contact_id = event[1], event[2]
	local contact = contacts[contact_id]
	if event_id and seen[event_id] then
		results[index] = 'd,' .. num(contact.score or 0)
	else
		if event_id then
			seen[event_id] = true
			new_ids[#new_ids + 1] = expiry
			new_ids[#new_ids + 1] = event_id
		end
		local at = tonumber(event[4])
		local previous = contact.score or 0
		local score = normalize(previous + tonumber(event[3]))
		contact.score = score
		contact.meta = touch_meta(contact.meta, at, true)
		contact.dirty = true
		if score ~= previous then
			seq = seq + 1
			log_change(seq, contact_id, previous, score, event[5], at, history)
			results[index] = num(previous) .. ',' .. num(score) .. ',' .. string.format('%d', seq)
		else
			results[index] = num(previous) .. ',' .. num(score) .. ','
		end
	end
end

local score_args, meta_args, idle_args = {}, {}, {}
for _, id in ipairs(contact_ids) do
	local contact = contacts[id]
	if contact.dirty then
		score_args[#score_args + 1] = num(contact.score)
		score_args[#score_args + 1] = id
		meta_args[#meta_args + 1] = id
		meta_args[#meta_args + 1] = encode_meta(contact.meta)
		idle_args[#idle_args + 1] = num(idle_since(contact.meta))
		idle_args[#idle_args + 1] = id
	end
end
if #score_args > 0 then
	call_chunked('ZADD', K_SCORES, score_args, 2)
	call_chunked('HSET', K_CONTACTS, meta_args, 2)
	call_chunked('ZADD', K_IDLE, idle_args, 2)
end
if #new_ids > 0 then call_chunked('ZADD', K_SEEN, new_ids, 2) end
if #history > 0 then call_chunked('ZADD', K_HISTORY, history, 2) end
if seq ~= first_seq then redis.call('SET', K_SEQ, string.format('%d', seq)) end
return table.concat(results, ';')
`;
