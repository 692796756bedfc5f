// The floor the gateway is measured against: a Worker that forwards every request to the origin
// unchanged and returns the origin's response, with no other work.
export default {
  async fetch(request, env) {
    const url = new URL(request.url)
    return fetch(env.ORIGIN + url.pathname + url.search, request)
  },
}
