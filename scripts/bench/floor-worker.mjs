// The floor under a request the gateway answers itself: a Worker that returns the same small
// JSON 429 to every request, with no other work. No Worker answers a request for less.
const BODY = JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests.' } })

export default {
  async fetch() {
    return new Response(BODY, { status: 429, headers: { 'content-type': 'application/json' } })
  },
}
