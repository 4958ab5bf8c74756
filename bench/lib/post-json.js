/**
 * POSTs a JSON body on a connection of its own (node:http without an agent, `Connection: close`)
 * and resolves { status, text } with the whole response.
 *
 * Why not fetch: fetch sends on a pooled keep-alive connection, and n8n's HTTP server (Node's
 * default keepAliveTimeout) closes a connection idle for 5 s. When the benchmark's own event loop
 * was busy for longer (it printed a 6 s stall at load average 6, while building and reading back
 * executions of 50,000 items), fetch has not
 * yet seen the close, writes the next POST into the closed connection and fails with "other side
 * closed" (or EPIPE) while n8n never sees the request: the 50,000-event failures of 2026-12-02
 * 01:27 and 01:36, as far as can be told (reproduced by stalling the client past 5 s, not by
 * re-running the bench). A POST is not safe to repeat; on a fresh connection it cannot race.
 */
const http = require('node:http');

function postJson(url, body) {
	const payload = Buffer.from(JSON.stringify(body));
	return new Promise((resolve, reject) => {
		const request = http.request(
			url,
			{ method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': payload.length } },
			(response) => {
				const chunks = [];
				response.on('data', (chunk) => chunks.push(chunk));
				response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
				response.on('error', reject);
			},
		);
		request.on('error', reject);
		request.end(payload);
	});
}

module.exports = { postJson };
