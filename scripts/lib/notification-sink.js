/**
 * A small HTTP server on loopback that collects what the trigger workflow's notification step
 * posts. `npm start` prints each notification; the e2e test and benchmark inspect them.
 */
const http = require('node:http');

/** Starts the sink; resolves to { url, port, received, waitFor(predicate, timeoutMs), close() }. */
function startNotificationSink({ port = 0, onNotification = () => {} } = {}) {
	const received = [];
	const waiters = new Set();
	const server = http.createServer((request, response) => {
		let body = '';
		request.setEncoding('utf8');
		request.on('data', (chunk) => (body += chunk));
		request.on('end', () => {
			let json;
			try {
				json = JSON.parse(body);
			} catch {
				json = { unparsed: body };
			}
			const notification = { at: Date.now(), path: request.url, body: json };
			received.push(notification);
			onNotification(notification);
			for (const waiter of waiters) waiter();
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{"ok":true}');
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen({ port, host: '127.0.0.1' }, () => {
			const actualPort = server.address().port;
			resolve({
				port: actualPort,
				url: `http://127.0.0.1:${actualPort}/engagement-notifications`,
				received,
				/** Resolves with the notifications once predicate(received) holds; rejects after timeoutMs. */
				waitFor(predicate, timeoutMs = 30_000) {
					return new Promise((resolveWait, rejectWait) => {
						const check = () => {
							if (!predicate(received)) return;
							clearTimeout(timer);
							waiters.delete(check);
							resolveWait(received);
						};
						const timer = setTimeout(() => {
							waiters.delete(check);
							rejectWait(new Error(`notification sink: condition not met within ${timeoutMs} ms (${received.length} received)`));
						}, timeoutMs);
						waiters.add(check);
						check();
					});
				},
				close: () =>
					new Promise((resolveClose) => {
						server.closeAllConnections();
						server.close(() => resolveClose());
					}),
			});
		});
	});
}

module.exports = { startNotificationSink };
