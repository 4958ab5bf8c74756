/**
 * The one write of contact states: a transaction's plan, computed in JS by the scoring core from a
 * snapshot, is committed here only if nothing the snapshot read has moved. No score arithmetic:
 * scores, states and changes arrive as text and are stored as they are.
 *
 * ARGV: snapshot's profile status, snapshot's profile version, event-id retention (ms), then three
 * MessagePack arrays of strings (see packedStrings in codec.ts):
 * contacts, 6 per contact [contact id, version read, state text, score ("" when the score index
 *   already holds it), idle since ("" when the idle index already holds it),
 *   next expiry ("" keep none or the one indexed, "-" remove, else the due time)],
 * seen event ids, 1 each,
 * changes, 2 per change [contact id, the change record as the log keeps it (see encodeChangeRecord)].
 * optionally a fourth: group index entries (KEYS[11] the profile's group index set),
 * and a fifth: journal entries, 2 per entry [contact id or "" for a profile-wide one, the entry
 *   without its journalSeq (see journalElementWithoutSeq in journal-codec.ts)], appended in order with the next journalSeqs
 *   (KEYS[12..14] the journal's keys, see journalKeys in keys.ts).
 * Returns { "ok", first seq or "0" } when written, else { "conflict", "profile" | "", contact ids..., "|", event ids... }
 * and writes nothing.
 * The `-- section:` lines name its parts; bench/redis-commit-script.bench.js times each.
 */
export const COMMIT_LUA = `
local function journal_list(contact)
	return KEYS[12] .. ':' .. contact
end

-- Appends elements[i] to the list of owners[i] (list_key(contact) its key): one RPUSH per contact
-- (call_chunked), contacts in the order they first own an element, each contact's elements in
-- their order. Returns the contacts whose list the push created.
local function push_by_contact(owners, elements, list_key)
	local lists, order = {}, {}
	for index, contact in ipairs(owners) do
		local listed = lists[contact]
		if not listed then
			listed = {}
			lists[contact] = listed
			order[#order + 1] = contact
		end
		listed[#listed + 1] = elements[index]
	end
	local created = {}
	for _, contact in ipairs(order) do
		local listed = lists[contact]
		local _, length = call_chunked('RPUSH', list_key(contact), listed, 1)
		if length == #listed then created[#created + 1] = contact end
	end
	return created
end

-- section: arguments
local profile = redis.call('HMGET', K_PROFILE, 'status', 'version')
if not profile[1] then return not_found() end
if profile[1] ~= ARGV[1] or profile[2] ~= ARGV[2] then return { 'conflict', 'profile', '|' } end
local contacts, seen_ids, changes = cmsgpack.unpack(ARGV[4]), cmsgpack.unpack(ARGV[5]), cmsgpack.unpack(ARGV[6])
local contact_count, seen_count, change_count = #contacts / 6, #seen_ids, #changes / 2

-- section: checks
local now = now_ms()
local conflicts = { 'conflict', '' }
if contact_count > 0 then
	local ids = {}
	for index = 1, #contacts, 6 do ids[#ids + 1] = contacts[index] end
	local stored = call_chunked('HMGET', K_CONTACTS, ids, 1)
	for index, id in ipairs(ids) do
		local version = '0'
		if stored[index] then version = string.match(stored[index], '^v(%d+),') or '1' end
		if version ~= contacts[index * 6 - 4] then conflicts[#conflicts + 1] = id end
	end
end
conflicts[#conflicts + 1] = '|'
if seen_count > 0 then
	local expiries = call_chunked('ZMSCORE', K_SEEN, seen_ids, 1)
	for index, id in ipairs(seen_ids) do
		if expiries[index] and tonumber(expiries[index]) > now then conflicts[#conflicts + 1] = id end
	end
end
if #conflicts > 3 then return conflicts end

-- section: contacts
if contact_count > 0 then
	local score_args, state_args, idle_args, expiry_args, unexpiring = {}, {}, {}, {}, {}
	for base = 1, #contacts, 6 do
		local id = contacts[base]
		local next_expiry = contacts[base + 5]
		if next_expiry == '-' then
			unexpiring[#unexpiring + 1] = id
		elseif next_expiry ~= '' then
			expiry_args[#expiry_args + 1] = next_expiry
			expiry_args[#expiry_args + 1] = id
		end
		state_args[#state_args + 1] = id
		state_args[#state_args + 1] = contacts[base + 2]
		if contacts[base + 3] ~= '' then
			score_args[#score_args + 1] = contacts[base + 3]
			score_args[#score_args + 1] = id
		end
		if contacts[base + 4] ~= '' then
			idle_args[#idle_args + 1] = contacts[base + 4]
			idle_args[#idle_args + 1] = id
		end
	end
	call_chunked('HSET', K_CONTACTS, state_args, 2)
	if #score_args > 0 then call_chunked('ZADD', K_SCORES, score_args, 2) end
	if #idle_args > 0 then call_chunked('ZADD', K_IDLE, idle_args, 2) end
	if #expiry_args > 0 then call_chunked('ZADD', K_EXPIRY, expiry_args, 2) end
	if #unexpiring > 0 then call_chunked('ZREM', K_EXPIRY, unexpiring, 1) end
end
-- section: seen
if seen_count > 0 then
	redis.call('ZREMRANGEBYSCORE', K_SEEN, '-inf', now)
	local expiry = num(now + tonumber(ARGV[3]))
	local seen_args = {}
	for _, id in ipairs(seen_ids) do
		seen_args[#seen_args + 1] = expiry
		seen_args[#seen_args + 1] = id
	end
	call_chunked('ZADD', K_SEEN, seen_args, 2)
end
-- section: groups
-- Group index entries (see groupIndexKey in keys.ts), 3 each [index name, contact id, subtotal or "-" to remove].
if ARGV[7] then
	local entries = cmsgpack.unpack(ARGV[7])
	for base = 1, #entries, 3 do
		local key = KEYS[11] .. ':' .. entries[base]
		if entries[base + 2] == '-' then
			redis.call('ZREM', key, entries[base + 1])
		else
			redis.call('ZADD', key, entries[base + 2], entries[base + 1])
			redis.call('SADD', KEYS[11], entries[base])
		end
	end
end
-- section: journal
if ARGV[8] then
	local entries = cmsgpack.unpack(ARGV[8])
	local entry_count = #entries / 2
	if entry_count > 0 then
		local seq = redis.call('INCRBY', KEYS[13], entry_count) - entry_count
		-- One RPUSH per contact of the commit; a contact's first entry also lists it.
		local profile_wide, owners, elements = {}, {}, {}
		for base = 1, #entries, 2 do
			seq = seq + 1
			local element = string.format('%d', seq) .. ',' .. entries[base + 1]
			if entries[base] == '' then
				profile_wide[#profile_wide + 1] = element
			else
				owners[#owners + 1] = entries[base]
				elements[#elements + 1] = element
			end
		end
		if #profile_wide > 0 then call_chunked('RPUSH', KEYS[12], profile_wide, 1) end
		local new_contacts = {}
		for _, contact in ipairs(push_by_contact(owners, elements, journal_list)) do
			new_contacts[#new_contacts + 1] = '0'
			new_contacts[#new_contacts + 1] = contact
		end
		if #new_contacts > 0 then call_chunked('ZADD', KEYS[14], new_contacts, 2) end
	end
end
-- section: log
local first_seq = 0
if change_count > 0 then
	local last_seq = redis.call('INCRBY', K_SEQ, change_count)
	first_seq = last_seq - change_count + 1
	-- One RPUSH per contact of the commit, not one index entry per change.
	local owners, seqs = {}, {}
	for index = 0, change_count - 1 do
		local base = index * 2 + 1
		local seq = string.format('%d', first_seq + index)
		redis.call('XADD', K_LOG, seq .. '-0', 'r', changes[base + 1])
		owners[index + 1] = changes[base]
		seqs[index + 1] = seq
	end
	-- section: history
	push_by_contact(owners, seqs, history_list)
end
return { 'ok', string.format('%d', first_seq) }
`;

/**
 * KEYS[11] snapshot key. ARGV: before (exclusive), snapshot lifetime in ms. Copies the contacts
 * idle since before \`before\` into the snapshot (one fast server-side copy) so that they can be
 * read in pages while the idle index moves. Returns the snapshot's size.
 */
export const INACTIVE_SNAPSHOT_LUA = `
if not profile_exists() then return 0 end
local size = redis.call('ZRANGESTORE', KEYS[11], K_IDLE, '-inf', '(' .. ARGV[1], 'BYSCORE')
if size > 0 then redis.call('PEXPIRE', KEYS[11], ARGV[2]) end
return size
`;
