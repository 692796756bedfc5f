// The floor under a request the gateway refuses without a fetch: a Worker that returns the same
// small JSON 429 to every request and does nothing else. No Worker can respond for less.
const BODY = JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests.' } })

export default {
  async fetch() {
    return new Response(BODY, { status: 429, headers: { 'content-type': 'application/json' } })
  },
}
